"""Uploaded files saved under the console's work folder, one fresh folder per upload."""

from __future__ import annotations

import re
import shutil
import uuid
from pathlib import Path

from fastapi import UploadFile

from precursor_watch.errors import InputError

SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
CHUNK = 1024 * 1024


def safe_filename(name: str | None, field: str) -> str:
    base = Path(name or "").name
    cleaned = SAFE_NAME.sub("_", base).strip("._")
    if not cleaned:
        raise InputError("the uploaded file has no usable name", field=field)
    return cleaned[:200]


async def save_uploads(files: list[UploadFile], folder: Path, field: str) -> list[Path]:
    """Write every upload into a new folder below ``folder``; returns the saved paths."""
    if not files:
        raise InputError("choose at least one file", field=field)
    target = folder / uuid.uuid4().hex
    target.mkdir(parents=True)
    saved: list[Path] = []
    try:
        for upload in files:
            path = target / safe_filename(upload.filename, field)
            with path.open("wb") as out:
                while chunk := await upload.read(CHUNK):
                    out.write(chunk)
            if path.stat().st_size == 0:
                raise InputError(f"{path.name} is empty", field=field)
            saved.append(path)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    return saved
