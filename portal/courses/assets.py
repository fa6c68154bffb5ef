"""Which file a course asset URL may serve: a regular file inside the course's ``assets/``.

Pure path logic, no app needed. A course folder holds no symbolic links (``flask content
check`` refuses them, see :meth:`portal.courses.loader._CourseReader.check_symlinks`); this
module does not rely on that: it serves a file only when its real path, every link followed,
is still inside the real ``assets/`` folder of that course, and when the course folder and
its ``assets/`` folder are not links themselves.
"""

from __future__ import annotations

import stat
from pathlib import Path

from werkzeug.security import safe_join


def asset_file(content_dir: str | Path, slug: str, filename: str) -> Path | None:
    """The file that ``/courses/<slug>/assets/<filename>`` serves, or None (a 404).

    Args:
        content_dir: the ``CONTENT_DIR`` setting (it may itself be a link, e.g. to a mounted
            volume).
        slug: the course's folder name.
        filename: the path below ``assets/`` as it came in the URL (``img/diagram.svg``).

    Returns:
        The real path of a regular file inside ``<content_dir>/<slug>/assets/``; None when
        the name leaves the folder (``..``, an absolute path), the course or ``assets``
        folder is a link, the file is missing, not a regular file (a folder, a device, a
        FIFO), or is reached through a link that points elsewhere.
    """
    root = Path(content_dir).resolve() / slug / "assets"
    try:
        if root.resolve(strict=True) != root:  # the course folder or assets/ is a link
            return None
    except OSError:
        return None
    joined = safe_join(str(root), filename)
    if joined is None:
        return None
    try:
        real = Path(joined).resolve(strict=True)
        mode = real.stat().st_mode
    except (OSError, RuntimeError):  # missing, a link loop, a name too long
        return None
    if not real.is_relative_to(root) or not stat.S_ISREG(mode):
        return None
    return real
