"""The home page in the access matrix: everyone signed in has one."""

from tests.access import EVERYONE

MATRIX = {
    "home": ("get", EVERYONE),
}
