"""Uploaded import files are kept under MEDIA_ROOT/private, a folder that must never be
served: the storage gives its files no URL."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property

PRIVATE_FOLDER = "private"


@deconstructible
class PrivateStorage(FileSystemStorage):
    @cached_property
    def base_location(self):
        return os.path.join(
            self._value_or_setting(self._location, settings.MEDIA_ROOT), PRIVATE_FOLDER
        )

    def url(self, name):
        raise ValueError("Private files have no URL.")


private_storage = PrivateStorage()
