"""Files are always sent as downloads, never rendered by the browser."""

from django.http import FileResponse, Http404

from ..models import Attachment


def attachment_download(attachment: Attachment | None) -> FileResponse:
    """Send the file as an attachment under its original name; 404 if it is gone."""
    if attachment is None:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
