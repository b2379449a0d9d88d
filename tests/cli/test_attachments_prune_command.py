"""`lostcontact attachments prune` as an operator runs it: a dry run lists the orphan files, a run removes
those older than `--older-than` hours (24 by default), and a grace under an hour is a usage error."""
from __future__ import annotations

import io
import json
import os
from datetime import datetime, timedelta, timezone

from lostcontact.storage import DIR_ENV, FolderStorage, new_key

from ..attachments.files import PDF


def test_the_command_prunes_and_says_how_many(cli, tmp_path, monkeypatch):
    folder = tmp_path / "evidence"
    monkeypatch.setenv(DIR_ENV, str(folder))
    storage = FolderStorage(folder)
    orphan = new_key()  # a file whose upload crashed before its row was written, 30 hours ago
    storage.put(orphan, io.BytesIO(PDF))
    written = (datetime.now(timezone.utc) - timedelta(hours=30)).timestamp()
    os.utime(folder / orphan, (written, written))

    listed = cli("attachments", "prune", "--dry-run", "--format", "json")
    assert listed.exit_code == 0, listed.output
    assert json.loads(listed.stdout) == {"dry_run": True, "older_than_hours": 24.0, "checked": 1, "too_recent": 0,
                                         "orphans": 1, "removed": 0, "keys": [orphan]}
    assert storage.exists(orphan)

    removed = cli("attachments", "prune", "--older-than", "48")
    assert removed.exit_code == 0 and "没有记录对应的 0 个已删除" in removed.stdout and storage.exists(orphan)
    removed = cli("attachments", "prune")
    assert removed.exit_code == 0 and "1 with no attachment row removed" in removed.stdout
    assert not storage.exists(orphan)

    refused = cli("attachments", "prune", "--older-than", "0.5")
    assert refused.exit_code == 2 and "至少为 1 小时" in refused.output
