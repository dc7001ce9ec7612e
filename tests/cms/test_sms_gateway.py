"""The HTTP SMS gateway adapter, against a real HTTP server on 127.0.0.1."""

import hashlib
import hmac
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured

from cms.core.sms import HTTPSMSBackend, SMSDeliveryError, send_sms

KEY = "gateway-test-key"
MOBILE = "13912345678"


class Gateway(BaseHTTPRequestHandler):
    """Answers by path: /ok 200, /fail 500, /moved 302, /slow waits for release."""

    received: list[dict] = []
    release = threading.Event()

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append(
            {"path": self.path, "headers": dict(self.headers), "body": body}
        )
        if self.path == "/slow":
            self.release.wait(10)
        status = {"/ok": 200, "/fail": 500, "/moved": 302}.get(self.path, 200)
        self.send_response(status)
        if status == 302:
            self.send_header("Location", "/ok")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):  # keep the test output quiet
        pass


@pytest.fixture
def gateway(monkeypatch):
    # A proxy from the environment would take requests to 127.0.0.1 elsewhere.
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    Gateway.received = []
    Gateway.release = threading.Event()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    Gateway.release.set()
    server.shutdown()
    server.server_close()


def backend(url, **options):
    return HTTPSMSBackend(url=url, key=KEY, sign_name="泉州人才港湾", **options)


def test_posts_signed_json_to_the_gateway(gateway):
    backend(gateway + "/ok").send(MOBILE, "您的申请已受理。")
    (request,) = Gateway.received
    assert json.loads(request["body"]) == {
        "mobile": MOBILE,
        "text": "您的申请已受理。",
        "sign": "泉州人才港湾",
    }
    assert request["headers"]["Content-Type"].startswith("application/json")
    expected = hmac.new(KEY.encode(), request["body"], hashlib.sha256).hexdigest()
    signature = request["headers"]["X-Harbor-Signature"]
    assert hmac.compare_digest(signature, f"sha256={expected}")


def test_the_signature_does_not_verify_with_another_key(gateway):
    backend(gateway + "/ok").send(MOBILE, "text")
    (request,) = Gateway.received
    forged = hmac.new(b"other-key", request["body"], hashlib.sha256).hexdigest()
    assert request["headers"]["X-Harbor-Signature"] != f"sha256={forged}"


def test_a_server_error_raises_so_the_caller_retries(gateway):
    with pytest.raises(SMSDeliveryError, match="500") as raised:
        backend(gateway + "/fail").send(MOBILE, "text")
    assert MOBILE not in str(raised.value)
    assert len(Gateway.received) == 1


def test_a_redirect_is_refused_not_followed(gateway):
    with pytest.raises(SMSDeliveryError, match="302"):
        backend(gateway + "/moved").send(MOBILE, "text")
    assert [r["path"] for r in Gateway.received] == ["/moved"]


def test_a_gateway_that_does_not_answer_in_time_raises(gateway):
    with pytest.raises(SMSDeliveryError, match="unreachable"):
        backend(gateway + "/slow", timeout=0.3).send(MOBILE, "text")


def test_an_unreachable_gateway_raises(gateway):
    closed = gateway.rsplit(":", 1)[0] + ":9"  # discard port: nothing listens
    with pytest.raises(SMSDeliveryError):
        backend(closed + "/ok", timeout=2).send(MOBILE, "text")


def test_settings_configure_the_backend_and_the_number_is_not_logged(
    gateway, settings, caplog
):
    settings.SMS_BACKEND = "cms.core.sms.HTTPSMSBackend"
    settings.SMS_GATEWAY_URL = gateway + "/ok"
    settings.SMS_GATEWAY_KEY = KEY
    settings.SMS_GATEWAY_SIGN_NAME = "人才港湾"
    settings.SMS_GATEWAY_TIMEOUT = 5
    with caplog.at_level(logging.DEBUG):
        send_sms(MOBILE, "验证码 123456")
    (request,) = Gateway.received
    assert json.loads(request["body"])["sign"] == "人才港湾"
    assert MOBILE not in caplog.text
    assert "123456" not in caplog.text


@pytest.mark.parametrize("url", ["", "file:///etc/passwd", "ftp://example.com/"])
def test_a_missing_or_non_http_url_is_a_configuration_error(url):
    with pytest.raises(ImproperlyConfigured):
        backend(url).send(MOBILE, "text")


def test_a_missing_key_is_a_configuration_error(gateway):
    with pytest.raises(ImproperlyConfigured):
        HTTPSMSBackend(url=gateway + "/ok", key="").send(MOBILE, "text")
    assert Gateway.received == []
