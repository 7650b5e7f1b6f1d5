"""Checks of uploaded evidence files: size and type, by extension AND by content."""

from __future__ import annotations

import io
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

#: extension → content type of the download.
ALLOWED_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "txt": "text/plain",
}
ALLOWED_LABEL = "PDF, PNG, JPG, DOCX, XLSX, ODT, ODS, TXT"


def _zip_names(head: bytes, data: bytes) -> set[str] | None:
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return set(archive.namelist())
    except zipfile.BadZipFile:
        return None


def _odf_mimetype(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.read("mimetype").decode("ascii", "replace").strip()
    except (zipfile.BadZipFile, KeyError):
        return ""


def content_matches(ext: str, data: bytes) -> bool:
    """Whether the bytes are really a file of the type the extension claims."""
    head = data[:16]
    if ext == "pdf":
        return head.startswith(b"%PDF-")
    if ext == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if ext in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if ext in ("docx", "xlsx"):
        names = _zip_names(head, data)
        marker = "word/document.xml" if ext == "docx" else "xl/workbook.xml"
        return bool(names) and marker in names and "[Content_Types].xml" in names
    if ext in ("odt", "ods"):
        if _zip_names(head, data) is None:
            return False
        return _odf_mimetype(data) == ALLOWED_TYPES[ext]
    if ext == "txt":
        if b"\x00" in data:
            return False
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                data.decode("cp1252")
            except UnicodeDecodeError:
                return False
        return True
    return False


def check_evidence(uploaded) -> tuple[str, str]:  # noqa: ANN001
    """Validate an uploaded file; return (extension, content type) or raise ValidationError on
    the ``file`` field with a message a person understands."""
    name = uploaded.name or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    limit = settings.CAPSI_EVIDENCE_MAX_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            {
                "file": _("Le fichier est trop volumineux (%(size)s) : %(limit)s au maximum.")
                % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)}
            }
        )
    if ext not in ALLOWED_TYPES:
        raise ValidationError(
            {
                "file": _("Ce type de fichier n'est pas accepté. Types acceptés : %(types)s.")
                % {"types": ALLOWED_LABEL}
            }
        )
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    if not content_matches(ext, data):
        raise ValidationError(
            {
                "file": _(
                    "Le contenu du fichier ne correspond pas à son extension « .%(ext)s » : "
                    "il a été refusé."
                )
                % {"ext": ext}
            }
        )
    return ext, ALLOWED_TYPES[ext]
