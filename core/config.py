"""Settings, built once at the edge into a frozen object; core code takes it as a parameter.

Sources of configuration, later ones win:
1. `.streamlit/secrets.toml` (or the mapping Streamlit Community Cloud gives as `st.secrets`);
2. environment variables `FITDASH_<SECTION>_<KEY>`, e.g. `FITDASH_STORE_BACKEND=dynamodb` sets
   `[store] backend`; a value starting with `{` or `[` is read as JSON (`FITDASH_AUTH_USERS`).

Every key is documented in `.streamlit/secrets.toml.example`. No secret has a default here.
"""

from __future__ import annotations

import json
import logging
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from core.analytics.athlete import Athlete, athlete_from_section
from core.errors import ConfigError
from core.maps import MapSettings, maps_from_section
from core.units import SYSTEMS

log = logging.getLogger(__name__)
ENV_PREFIX = "FITDASH_"
SECRETS_PATH = Path(".streamlit/secrets.toml")
DEFAULT_SQLITE_PATH = "data/fitdash.sqlite3"
DEFAULT_SYNC_INTERVAL_H = 3.0  # the GitHub Actions schedule: cron "0 */3 * * *"
REAL_SOURCES = ("withings", "strava", "sheets")
# What makes a section a source: its credentials or the sheet's key. Other keys ([sheets] unit, date_order,
# aliases, worksheet) only say how to read a training log, which CSV imports use without any sheet.
SOURCE_KEYS = {"withings": ("client_id", "client_secret"), "strava": ("client_id", "client_secret"),
               "sheets": ("spreadsheet_key", "service_account_json")}
ROLES = ("admin", "viewer")
MIN_COOKIE_KEY_CHARS = 32  # core.users generates 64 hex characters (256 bits)
_BCRYPT_HASH = re.compile(r"^\$2[aby]?\$\d\d\$[./A-Za-z0-9]{53}$")


@dataclass(frozen=True)
class User:
    """One login: bcrypt password hash and role (admin may refresh and import)."""

    username: str
    name: str
    password_hash: str
    role: str


@dataclass(frozen=True)
class Settings:
    """Everything the app, the sync and the CLI commands are configured with."""

    store_backend: str = "sqlite"
    sqlite_path: Path = Path(DEFAULT_SQLITE_PATH)
    sync_interval_h: float = DEFAULT_SYNC_INTERVAL_H
    timezone: str = "UTC"
    units: str = "metric"  # what every new session shows until the sidebar switches it
    demo: bool = True
    demo_seed: int = 7
    users: tuple[User, ...] = ()
    cookie_name: str = "fitdash_auth"
    cookie_key: str | None = None
    cookie_expiry_days: float = 7.0
    login_delay_base_s: float = 1.0  # the first wait after a counted login attempt; it doubles with each one
    login_delay_cap_s: float = 300.0  # the longest wait: the owner always gets in within five minutes
    trusted_proxies: int = 0  # proxies in front that append to X-Forwarded-For (Heroku's router: 1)
    ephemeral_disk: bool = False  # the host throws its disk away on restart (Heroku sets DYNO)
    athlete: Athlete = field(default_factory=Athlete)  # [athlete]: what turns heart rate into training load
    maps: MapSettings = field(default_factory=MapSettings)  # [maps]: map tiles and privacy zones
    bodyweight_exercises: tuple[str, ...] = ()  # [strength] names added to the built-in bodyweight exercises
    api_in_forecast: bool = True  # [strava]: False keeps API-only runs out of the forecast (Strava's API policy 5.3)
    api_retention_days: float = 0.0  # [strava]: API-only runs older than this are deleted at each sync; 0 keeps them
    sections: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def section(self, name: str) -> Mapping[str, Any]:
        """A raw configuration section (e.g. `strava`, `dynamodb`), empty if absent."""
        return self.sections.get(name, MappingProxyType({}))

    @property
    def configured_sources(self) -> tuple[str, ...]:
        """Real sources given credentials (or the sheet's key), in a fixed order; a half-set one fails saying why."""
        return _sources(self.sections)

    @property
    def scheduled(self) -> bool:
        """True when something syncs on a schedule: the hosted store (GitHub Actions) or a set [sync] interval_hours.

        The embedded SQLite store on a laptop syncs only on Refresh data or `make sync`, unless the person says
        they scheduled it (cron, a launchd job) by setting the interval."""
        return self.store_backend != "sqlite" or "interval_hours" in self.section("sync")

    @property
    def active_sources(self) -> tuple[str, ...]:
        """Every source that should sync: the configured real ones, then the demo source when it is on."""
        return self.configured_sources + (("demo",) if self.demo else ())


def _sources(sections: Mapping[str, Mapping[str, Any]]) -> tuple[str, ...]:
    return tuple(name for name in REAL_SOURCES if any(sections.get(name, {}).get(k) for k in SOURCE_KEYS[name]))


def read_secrets_file(path: Path = SECRETS_PATH) -> dict[str, Any]:
    """Parse a secrets.toml; an absent file is an empty configuration, a broken one an error."""
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}") from exc


def merge_env(secrets: Mapping[str, Any], env: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """Sections from secrets, overridden by FITDASH_<SECTION>_<KEY> environment variables."""
    sections = {name: dict(value) for name, value in secrets.items() if isinstance(value, Mapping)}
    for name, value in env.items():
        if not name.startswith(ENV_PREFIX) or "_" not in name[len(ENV_PREFIX):] or not value.strip():
            continue  # an empty variable (an unset CI secret) configures nothing
        section, key = name[len(ENV_PREFIX):].lower().split("_", 1)
        sections.setdefault(section, {})[key] = _env_value(name, value)
    return sections


def _env_value(name: str, value: str) -> Any:
    if value[:1] in "{[":
        try:
            return json.loads(value)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{name} looks like JSON but does not parse: {exc.msg}") from exc
    return value


def build_settings(secrets: Mapping[str, Any], env: Mapping[str, str]) -> Settings:
    """The one place configuration is interpreted and validated."""
    sections = merge_env(secrets, env)
    store, sync, auth, demo = (sections.get(n, {}) for n in ("store", "sync", "auth", "demo"))
    backend = str(store.get("backend", "sqlite")).lower()
    if backend not in ("sqlite", "dynamodb"):
        raise ConfigError(f"[store] backend must be 'sqlite' or 'dynamodb', not {backend!r}")
    has_real = bool(_sources(sections))
    app = sections.get("app", {})
    units = str(app.get("units", "metric")).strip().lower()
    if units not in SYSTEMS:
        raise ConfigError(f"[app] units must be 'metric' (kg, km) or 'imperial' (lb, mi), not {app.get('units')!r}",
                          action="Set FITDASH_APP_UNITS or [app] units in .streamlit/secrets.toml to one of them.")
    return Settings(
        store_backend=backend,
        sqlite_path=Path(store.get("sqlite_path", DEFAULT_SQLITE_PATH)),
        sync_interval_h=_number(sync, "interval_hours", DEFAULT_SYNC_INTERVAL_H, "sync"),
        timezone=str(app.get("timezone", "UTC")),
        units=units,
        demo=_flag(demo.get("enabled", not has_real)),
        demo_seed=int(_number(demo, "seed", 7, "demo")),
        users=_users(auth.get("users", {})),
        cookie_name=str(auth.get("cookie_name", "fitdash_auth")),
        cookie_key=_cookie_key(auth.get("cookie_key")),
        cookie_expiry_days=_number(auth, "cookie_expiry_days", 7.0, "auth"),
        **_login_delays(auth),
        trusted_proxies=int(_number(auth, "trusted_proxies", 1 if env.get("DYNO") else 0, "auth")),
        ephemeral_disk=bool(env.get("DYNO")),
        athlete=athlete_from_section(sections.get("athlete", {})),
        maps=maps_from_section(sections.get("maps", {})),
        bodyweight_exercises=_names(*_bodyweight_setting(sections)),
        **_strava_policy(sections.get("strava", {})),
        sections=MappingProxyType({k: MappingProxyType(v) for k, v in sections.items()}),
    )


def load_settings(env: Mapping[str, str], secrets_path: Path = SECRETS_PATH) -> Settings:
    """Settings for command-line entry points: secrets file plus environment."""
    return build_settings(read_secrets_file(secrets_path), env)


def _number(section: Mapping[str, Any], key: str, default: float, name: str) -> float:
    try:
        return float(section.get(key, default))
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"[{name}] {key} must be a number, not {section.get(key)!r}") from exc


def _cookie_key(value: Any) -> str | None:
    if not value:
        return None
    if len(str(value)) < MIN_COOKIE_KEY_CHARS:  # anyone who guesses the key can mint a login cookie for any user
        raise ConfigError(f"[auth] cookie_key is too short (under {MIN_COOKIE_KEY_CHARS} characters)",
                          action="Generate one: python -c \"import secrets; print(secrets.token_hex(32))\".")
    return str(value)


def _login_delays(auth: Mapping[str, Any]) -> dict[str, float]:
    base = _number(auth, "login_delay_base_s", 1.0, "auth")
    cap = _number(auth, "login_delay_cap_s", 300.0, "auth")
    if not 0 < base <= cap:
        raise ConfigError(f"[auth] login_delay_base_s must be above 0 and at most login_delay_cap_s ({base}, {cap})",
                          action="Remove both settings to get the defaults (1 s doubling up to 300 s).")
    return {"login_delay_base_s": base, "login_delay_cap_s": cap}


def _bodyweight_setting(sections: Mapping[str, Mapping[str, Any]]) -> tuple[Any, str]:
    """(value, section) of bodyweight_exercises: [strength], else the old name [training] with a deprecation line."""
    if "bodyweight_exercises" in sections.get("strength", {}) or "bodyweight_exercises" not in sections.get(
            "training", {}):
        return sections.get("strength", {}).get("bodyweight_exercises", ()), "strength"
    log.warning("[training] bodyweight_exercises (FITDASH_TRAINING_BODYWEIGHT_EXERCISES) is deprecated: it is read "
                "for now, rename it to [strength] bodyweight_exercises (FITDASH_STRENGTH_BODYWEIGHT_EXERCISES)")
    return sections["training"]["bodyweight_exercises"], "training"


def _names(value: Any, section: str) -> tuple[str, ...]:
    """A list of names, or one comma-separated string (an environment variable)."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not all(isinstance(i, str) for i in items):
        raise ConfigError(f"[{section}] bodyweight_exercises must be a list of names, not {value!r}",
                          action='Write e.g. bodyweight_exercises = ["ring row", "L-sit"].')
    return tuple(i.strip() for i in items if i.strip())


def _strava_policy(section: Mapping[str, Any]) -> dict[str, Any]:
    """[strava] api_in_forecast and api_retention_days (days, >= 0; 0 or absent: API data is kept)."""
    days = _number(section, "api_retention_days", 0.0, "strava")
    if not 0 <= days < 100_000:
        raise ConfigError(f"[strava] api_retention_days must be a number of days (0 keeps API data), not {days!r}",
                          action="Set it to 7 to follow Strava's API policy (a 7-day cache), or remove it.")
    return {"api_in_forecast": _flag(section.get("api_in_forecast", True)), "api_retention_days": days}


def _flag(value: Any) -> bool:
    return value if isinstance(value, bool) else str(value).strip().lower() in ("1", "true", "yes", "on")


def _users(raw: Any) -> tuple[User, ...]:
    if not isinstance(raw, Mapping):
        raise ConfigError("[auth] users must be a table of users (see secrets.toml.example)")
    users = []
    for username, entry in raw.items():
        if not isinstance(entry, Mapping) or not _BCRYPT_HASH.match(str(entry.get("password", ""))):
            raise ConfigError(
                f"[auth.users.{username}] needs a bcrypt 'password' hash",
                action=f"Run `python -m core.users add {username}` instead of editing hashes by hand.",
            )
        role = str(entry.get("role", "viewer"))
        if role not in ROLES:
            raise ConfigError(f"[auth.users.{username}] role must be one of {ROLES}, not {role!r}")
        users.append(User(str(username).lower(), str(entry.get("name", username)), entry["password"], role))
    return tuple(users)
