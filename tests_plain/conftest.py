"""Load the addon's pure-Python helpers without importing Odoo."""

import importlib.util
import pathlib
import sys

import pytest

TOOLS = pathlib.Path(__file__).resolve().parent.parent / "collections_workflow" / "tools"


def _load(name):
    spec = importlib.util.spec_from_file_location(f"cw_tools_{name}", TOOLS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def portfolio_file():
    return _load("portfolio_file")


@pytest.fixture(scope="session")
def aging():
    return _load("aging")


@pytest.fixture(scope="session")
def contact_window():
    return _load("contact_window")


@pytest.fixture(scope="session")
def identification():
    return _load("identification")


@pytest.fixture(scope="session")
def contact_links():
    return _load("contact_links")


@pytest.fixture(scope="session")
def normalize_phone():
    phonenumbers = pytest.importorskip("phonenumbers")

    def normalize(number, region):
        try:
            parsed = phonenumbers.parse(number, region)
        except phonenumbers.NumberParseException as error:
            raise ValueError(str(error)) from error
        if not phonenumbers.is_valid_number(parsed):
            raise ValueError("invalid number")
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)

    return normalize


@pytest.fixture(scope="session")
def reply_intent():
    return _load("reply_intent")


@pytest.fixture(scope="session")
def pilot():
    return _load("pilot")


@pytest.fixture(scope="session")
def channels():
    return _load("channels")


@pytest.fixture(scope="session")
def qr():
    pytest.importorskip("qrcode")
    return _load("qr")


@pytest.fixture(scope="session")
def tracking():
    return _load("tracking")
