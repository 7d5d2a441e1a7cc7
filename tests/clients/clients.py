"""The real clients: what each installs, and what each needs made once beside its venv
(Label Studio's and doccano's migrated databases: a minute of migrations, then a copy)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.clients.venvs import client_venv, gloss_requirements, named, prepared

LABEL_STUDIO = "1.23.2"
# Label Studio 1.23.2 asks for sentry-sdk loosely: sentry-sdk 3.0 (December 2026) refuses
# the send_default_pii option its server passes at start ("Unknown option")
LABEL_STUDIO_REQUIREMENTS = [f"label-studio=={LABEL_STUDIO}", "sentry-sdk<3"]
LS_USER, LS_PASSWORD, LS_TOKEN = "gloss@example.com", "gloss-clients-1", "gloss-clients-token"
DOCCANO = "1.8.4"
# doccano 1.8.4 pins its dependencies loosely: today's marshmallow 4 breaks its environs,
# numpy 2 its pandas 1.5, whose wheels stop at Python 3.11 (its venv is made from that)
DOCCANO_REQUIREMENTS = [f"doccano=={DOCCANO}", "marshmallow<4", "numpy<2"]
DOCCANO_PYTHON = "3.11"
DOCCANO_USER, DOCCANO_PASSWORD = "admin", "gloss-clients-1"
SPACY = ["spacy==3.8.18"]
CONLL = ["seqeval==1.2.2", "conllu==6.0.0"]


def label_studio_env(home: Path) -> dict[str, str]:
    """The user's environment without Label Studio's or Django's settings, offline."""
    kept = {k: v for k, v in os.environ.items()
            if not k.startswith(("LABEL_STUDIO", "DJANGO", "DATABASE"))}
    return {**kept, "HOME": str(home), "LATEST_VERSION_CHECK": "false"}


def label_studio() -> tuple[Path, Path]:
    """Label Studio's python, and a data folder with its database migrated and its user."""
    python = client_venv(named(f"labelstudio-{LABEL_STUDIO}", LABEL_STUDIO_REQUIREMENTS),
                         LABEL_STUDIO_REQUIREMENTS)

    def migrated(folder: Path) -> None:
        subprocess.run([str(python), "-m", "label_studio.server", "init", "--data-dir",
                        str(folder / "data"), "--username", LS_USER, "--password",
                        LS_PASSWORD, "--user-token", LS_TOKEN, "--enable-legacy-api-token"],
                       env=label_studio_env(folder / "home"), check=True,
                       capture_output=True, timeout=900)
        shutil.rmtree(folder / "home")

    return python, prepared(python.parent.parent, "database", migrated) / "data"


def doccano_env(folder: Path, settings: str = "config.settings.production") -> dict[str, str]:
    kept = {k: v for k, v in os.environ.items()
            if not k.startswith(("DJANGO", "DATABASE", "CELERY", "DOCCANO"))}
    return {**kept, "HOME": str(folder / "home"), "DOCCANO_HOME": str(folder),
            "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
            "MEDIA_ROOT": str(folder / "media"), "DEBUG": "False", "STANDALONE": "True",
            "DJANGO_SETTINGS_MODULE": settings, "PYTHONPATH": str(folder)}


def doccano() -> tuple[Path, Path]:
    """doccano's python, and its database migrated, with its roles and admin."""
    python = client_venv(f"doccano-{DOCCANO}", DOCCANO_REQUIREMENTS, DOCCANO_PYTHON)

    def migrated(folder: Path) -> None:
        for args in (["init"], ["createuser", "--username", DOCCANO_USER, "--password",
                                DOCCANO_PASSWORD]):
            subprocess.run([str(python), "-c", "from backend.cli import main; main()", *args],
                           env=doccano_env(folder), check=True, capture_output=True,
                           timeout=900)
        shutil.rmtree(folder / "home", ignore_errors=True)

    return python, prepared(python.parent.parent, "database", migrated) / "db.sqlite3"


def spacy() -> Path:
    """spaCy beside Gloss's own dependencies (the DocBin export runs there)."""
    requirements = [*gloss_requirements(), *SPACY]
    return client_venv(named("spacy-3.8.18", requirements), requirements)


def conll() -> Path:
    return client_venv("seqeval-1.2.2-conllu-6.0.0", CONLL)


READY = {"labelstudio": label_studio, "doccano": doccano, "spacy": spacy, "conll": conll}
