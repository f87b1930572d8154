"""The policies pane's dialogs: what to upload, compare, lint or download. Values in, a
request out; paths complete as you type (``→`` accepts). They never call Graph: the pane runs
the request with the dialog open ("Working…"), and a refusal (a folder that does not parse, a
local file in the way) shows in the dialog with everything typed kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from ....graph.errors import ValidationError
from ....policies.settings import SettingsError, validate_prefix
from ...dialogs.form import Checks, FormField
from ...dialogs.paths import PathFormDialog, existing_path

FOLDER_HELP = "A folder in the starter-pack layout (one .xml per policy), or one file. → completes."
NO_BACKUP = ""


def _prefix(value: Any) -> str | None:
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return validate_prefix(text)
    except SettingsError as exc:
        raise ValidationError(str(exc), field="prefix") from None


def _optional_file(value: Any, label: str, field: str) -> Path | None:
    text = str(value or "").strip()
    return existing_path(text, label, field=field, folder=False) if text else None


#: a folder of policies, and the settings file of how it is uploaded: both complete as typed
SET_PATHS: dict[str, tuple[str, ...]] = {"folder": (".xml",), "settings": (".toml", ".json")}


def how_fields(settings_hint: str, *, prefix_help: str, settings_help: str) -> list[FormField]:
    """The prefix and settings file fields: how a folder is (or would be) uploaded."""
    return [FormField("prefix", "Prefix", placeholder="Dev_", help=prefix_help),
            FormField("settings", "Settings file", placeholder=settings_hint,
                      help=settings_help)]


def read_how(checks: Checks, values: dict[str, Any]) -> tuple[str | None, Path | None]:
    """The prefix and the settings file of :func:`how_fields` (each refusal beside its field)."""
    prefix = checks.run(_prefix, values.get("prefix"))
    settings = checks.run(_optional_file, values.get("settings"), "The settings file",
                          "settings")
    return prefix, settings


@dataclass(frozen=True)
class UploadRequest:
    """What to push: a folder (or file), an optional prefix and settings file, and whether
    unchanged policies go too."""

    folder: Path
    prefix: str | None = None
    settings: Path | None = None
    force_all: bool = False


class UploadDialog(PathFormDialog[UploadRequest]):
    """``u``: the folder to upload and how; the dry run comes next, nothing is sent here."""

    path_fields: ClassVar[dict[str, tuple[str, ...]]] = SET_PATHS
    save_label: ClassVar[str] = "Dry run"

    def __init__(self, folder: str, settings_hint: str, **kwargs: Any) -> None:
        super().__init__("Upload policies", [
            FormField("folder", "Folder or file", value=folder, help=FOLDER_HELP),
            *how_fields(settings_hint,
                        prefix_help="A parallel set: B2C_1A_X is uploaded as B2C_1A_<prefix>X, "
                                    "bases and public URIs renamed to match (as IEFPolicies "
                                    "does).",
                        settings_help="Values for {Settings:Name} placeholders (TOML or JSON); "
                                      "empty: the profile's file."),
            FormField("all", "Unchanged too", "bool", False,
                      placeholder="upload every policy, not only the changed ones"),
        ], subtitle="The dry run shows what would change before anything is sent.", **kwargs)

    def build(self, values: dict[str, Any]) -> UploadRequest:
        checks = Checks()
        folder = checks.run(existing_path, str(values.get("folder") or ""), "The folder",
                            field="folder")
        prefix, settings = read_how(checks, values)
        checks.done()
        return UploadRequest(folder, prefix, settings, bool(values.get("all")))


@dataclass(frozen=True)
class CompareRequest:
    """The other side of a diff with the tenant: a folder, a backup, or both (then the backup
    is compared with the folder)."""

    folder: Path | None = None
    backup: str | None = None


class CompareDialog(PathFormDialog[CompareRequest]):
    """``f``: compare the tenant with a local folder or file, or with a backup."""

    path_fields: ClassVar[dict[str, tuple[str, ...]]] = {"folder": (".xml",)}
    save_label: ClassVar[str] = "Compare"

    def __init__(self, folder: str, backups: list[str], backup: str = NO_BACKUP,
                 **kwargs: Any) -> None:
        choices = (("(none: compare with the folder)", NO_BACKUP),
                   *((name, name) for name in backups))
        super().__init__("Compare the tenant's policies", [
            FormField("folder", "Folder or file", value=folder,
                      help="Local policies, as they would be uploaded. " + FOLDER_HELP),
            FormField("backup", "Backup", "choice", backup if backup in backups else NO_BACKUP,
                      choices=choices,
                      help="A backup taken before an upload, restore or delete (newest "
                           "first). With a folder too, the backup is compared with it."),
        ], subtitle="Changed policies are listed first.", **kwargs)

    def build(self, values: dict[str, Any]) -> CompareRequest:
        folder_text = str(values.get("folder") or "").strip()
        backup = str(values.get("backup") or "") or None
        if not folder_text and backup is None:
            raise ValidationError("Give a folder or file, or choose a backup.", field="folder")
        folder = existing_path(folder_text, "The folder", field="folder") if folder_text \
            else None
        return CompareRequest(folder, backup)


@dataclass(frozen=True)
class LintRequest:
    """What to lint: a folder (``None``: the tenant's own policies) and how it would be
    uploaded (prefix, settings)."""

    folder: Path | None = None
    prefix: str | None = None
    settings: Path | None = None


class LintDialog(PathFormDialog[LintRequest]):
    """``l``: lint a local folder in the tenant's context, or the tenant's policies."""

    path_fields: ClassVar[dict[str, tuple[str, ...]]] = SET_PATHS
    save_label: ClassVar[str] = "Lint"

    def __init__(self, folder: str, settings_hint: str, **kwargs: Any) -> None:
        super().__init__("Lint policies", [
            FormField("folder", "Folder or file", value=folder,
                      help="Empty: lint the tenant's own policies. " + FOLDER_HELP),
            *how_fields(settings_hint,
                        prefix_help="Lint as it would be uploaded with this prefix.",
                        settings_help="Placeholder values; empty: the profile's file."),
        ], subtitle="Well-formedness, ids, bases, tenant, references, keysets, placeholders.",
            **kwargs)

    def build(self, values: dict[str, Any]) -> LintRequest:
        checks = Checks()
        text = str(values.get("folder") or "").strip()
        folder = checks.run(existing_path, text, "The folder", field="folder") if text else None
        prefix, settings = read_how(checks, values)
        checks.done()
        return LintRequest(folder, prefix, settings)


@dataclass(frozen=True)
class DownloadRequest:
    """Where to download, which policies (``None``: all), and whether differing local files
    may be replaced."""

    folder: Path
    policy_ids: tuple[str, ...] | None = None
    overwrite: bool = False


class DownloadDialog(PathFormDialog[DownloadRequest]):
    """``p``: download the tenant's policies (or the selected ones) into a folder."""

    path_fields: ClassVar[dict[str, tuple[str, ...]]] = {"folder": ()}
    save_label: ClassVar[str] = "Download"

    def __init__(self, folder: str, selected: list[str], **kwargs: Any) -> None:
        self.selected = list(selected)
        fields = [FormField("folder", "Folder", value=folder,
                            help="Created if missing. A file that already holds a policy's id "
                                 "is updated in place. → completes.")]
        if selected:
            fields.append(FormField("only", "Selection only", "bool", True,
                                    placeholder=f"only the {len(selected)} selected "
                                                f"polic{'y' if len(selected) == 1 else 'ies'}"))
        fields.append(FormField("overwrite", "Replace", "bool", False,
                                placeholder="replace local files that differ from the tenant"))
        super().__init__("Download policies", fields, **kwargs)

    def build(self, values: dict[str, Any]) -> DownloadRequest:
        text = str(values.get("folder") or "").strip()
        if not text:
            raise ValidationError("The folder is required.", field="folder")
        folder = Path(text).expanduser()
        if folder.exists() and not folder.is_dir():
            raise ValidationError(f"{text}: not a folder.", field="folder")
        only = tuple(self.selected) if self.selected and values.get("only") else None
        return DownloadRequest(folder, only, bool(values.get("overwrite")))
