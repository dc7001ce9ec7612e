"""Mobile numbers of any country: accounts keep them in E.164; an account may
be verified by e-mail instead of SMS, and records an identity document.

Stored numbers were mainland ones of 11 digits; they become +86 and the same
digits. The rule is frozen here (not imported) so that later changes to the
live one do not change what this migration did.
"""

import re

from django.db import migrations, models

import cms.core.identifiers

MAINLAND = re.compile(r"^1[3-9]\d{9}$")


def to_e164(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.exclude(mobile=None).only("pk", "mobile").iterator():
        digits = re.sub(r"[\s\-]", "", user.mobile)
        if MAINLAND.match(digits):
            User.objects.filter(pk=user.pk).update(mobile="+86" + digits)


def to_eleven_digits(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    foreign = User.objects.exclude(mobile=None).exclude(mobile__startswith="+86")
    if foreign.filter(mobile__startswith="+").exists():
        # An 11-character column cannot hold them: refuse rather than drop them.
        raise RuntimeError(
            "Accounts hold mobile numbers outside the mainland; they cannot be "
            "stored in the 11-digit form."
        )
    for user in User.objects.filter(mobile__startswith="+86").only("pk", "mobile"):
        User.objects.filter(pk=user.pk).update(mobile=user.mobile[3:])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_verificationcode"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="mobile",
            field=models.CharField(
                blank=True,
                max_length=16,
                null=True,
                unique=True,
                validators=[cms.core.identifiers.validate_phone],
                verbose_name="mobile number",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="mobile_verified",
            field=models.BooleanField(
                default=True,
                help_text=(
                    "Off when the account was opened with an e-mail code and no "
                    "SMS code has reached this number yet."
                ),
                verbose_name="mobile number verified",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="email_verified_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="e-mail address verified at"
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="id_kind",
            field=models.CharField(
                blank=True,
                choices=[
                    ("resident", "Resident identity card (居民身份证)"),
                    ("passport", "Passport"),
                    (
                        "hk_macau",
                        "Mainland travel permit for Hong Kong and Macao residents",
                    ),
                    ("taiwan", "Mainland travel permit for Taiwan residents"),
                    ("foreign_permanent", "Foreign permanent resident ID card"),
                ],
                max_length=20,
                verbose_name="identity document",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="id_masked",
            field=models.CharField(
                blank=True,
                max_length=30,
                verbose_name="identity document number (masked)",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="id_cipher",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="user",
            name="id_digest",
            field=models.CharField(
                blank=True, db_index=True, editable=False, max_length=64
            ),
        ),
        migrations.RenameField(
            model_name="verificationcode", old_name="mobile", new_name="target"
        ),
        migrations.AlterField(
            model_name="verificationcode",
            name="target",
            field=models.CharField(
                db_index=True,
                max_length=254,
                verbose_name="mobile number or e-mail address",
            ),
        ),
        migrations.AlterField(
            model_name="verificationcode",
            name="purpose",
            field=models.CharField(
                choices=[
                    ("register", "Registration"),
                    ("reset_password", "Password reset"),
                    ("register_email", "Registration by e-mail"),
                ],
                max_length=20,
                verbose_name="purpose",
            ),
        ),
        migrations.RunPython(to_e164, to_eleven_digits),
    ]
