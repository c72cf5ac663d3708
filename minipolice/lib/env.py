"""Small, strict readers for settings taken from the environment.

A typo in a boolean must stop the process rather than silently become False.

Secrets (`env_secret`) may also come from a file, as container platforms and systemd's
credentials hand them over: `SECRET_KEY_FILE=/run/secrets/secret_key` reads that file, less
its trailing newline. Setting both `SECRET_KEY` and `SECRET_KEY_FILE` is an error, so that it
is never a guess which one is in force.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Set the environment variable {name}.")
    return value


def env_secret(name: str, default: str | None = None) -> str:
    """`name` from the environment, or the contents of the file `name`_FILE points at.

    The file's trailing newline (as `echo` and most editors leave it) is dropped; nothing
    else is. An empty or unreadable file stops the process: a secret that silently became ""
    would be worse. The error never shows the secret, only the variable and the path.
    """
    file_name = f"{name}_FILE"
    value = os.environ.get(name)
    path = os.environ.get(file_name)
    if value is not None and path is not None:
        raise ImproperlyConfigured(f"Set {name} or {file_name}, not both.")
    if path is None:
        return env_str(name, default)
    if not path:
        raise ImproperlyConfigured(f"{file_name} is empty: give the path of the secret's file.")
    try:
        content = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ImproperlyConfigured(
            f"{file_name}={path!r} cannot be read ({exc.strerror or exc})."
        ) from exc
    except UnicodeDecodeError as exc:
        raise ImproperlyConfigured(f"{file_name}={path!r} is not UTF-8 text.") from exc
    secret = content.removesuffix("\n").removesuffix("\r")
    if not secret:
        raise ImproperlyConfigured(f"{file_name}={path!r} is empty.")
    return secret


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true or false).")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]
