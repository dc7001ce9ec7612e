"""Private storage for applicant files (docs/security.md F5).

Files live under PRIVATE_MEDIA_ROOT with random names and have no URL: the only
way out is the permission-checked download view in forms/applying/views.py.
"""

from django.core.files.storage import FileSystemStorage, storages


class PrivateFileStorage(FileSystemStorage):
    def url(self, name):
        raise NotImplementedError("Private files have no URL; use the download view.")


def private_storage():
    """The configured private storage (settings.STORAGES["private"])."""
    return storages["private"]
