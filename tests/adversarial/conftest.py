"""The browser fixtures of tests/e2e (a live app server, Debian's Chromium, the offline check) for the
adversarial browser tests in this folder."""

from tests.e2e.conftest import app_url, browser, page  # noqa: F401 (fixtures)
