"""Real-browser tests: headless Chromium driven by Selenium against ``live_server``.

Skipped with a reason where /usr/bin/chromium or /usr/bin/chromedriver is
missing, unless ``REQUIRE_BROWSER=1`` (then they fail: a CI that means to run
them must not pass by skipping). One Chromium serves the whole session; each
test starts with no cookies and leaves a screenshot in
``tests/browser/screenshots/<test name>.png`` (gitignored).
"""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
WAIT_SECONDS = 10

# The live server's thread and Selenium's calls run beside pytest's event-loop
# checks; Django refuses synchronous ORM calls there without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


def _browser_missing():
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if not missing:
        return None
    return f"needs {' and '.join(missing)} (install chromium and chromium-driver)"


@pytest.fixture(scope="session")
def _chromium(live_server):
    # Depends on live_server so that Chromium quits first: its kept-alive
    # connections end while the server still shares the test database.
    reason = _browser_missing()
    if reason:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but the browser is missing: {reason}")
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="tilmash-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1400,1000",
        "--lang=en-US",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.implicitly_wait(0)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def browser(_chromium, live_server, request):
    """The session's Chromium, logged out, with a screenshot of where the test ended."""
    driver = _chromium
    driver.get(live_server.url + "/healthz")
    driver.delete_all_cookies()
    yield driver
    SCREENSHOTS.mkdir(exist_ok=True)
    try:
        driver.switch_to.alert.dismiss()
    except Exception:  # noqa: BLE001  (no alert open: the usual case)
        pass
    driver.save_screenshot(str(SCREENSHOTS / f"{request.node.name}.png"))
    # Leave no page with unsaved changes behind for the next test, nor text
    # the editor kept in this browser's storage.
    driver.execute_script("window.onbeforeunload = null; window.localStorage.clear();")
    driver.get("about:blank")
    try:
        driver.switch_to.alert.accept()
    except Exception:  # noqa: BLE001
        pass


@pytest.fixture
def screenshot(browser, request):
    """``screenshot("after-save")`` saves tests/browser/screenshots/<test>-after-save.png."""

    def save(name):
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{request.node.name}-{name}.png"
        browser.save_screenshot(str(path))
        return path

    return save


def wait_for(driver, condition, timeout=WAIT_SECONDS):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(condition)


def gone(element):
    """A wait condition: ``element``'s page was replaced. Selenium's ``staleness_of``
    expects a stale-element error, but Chromium may instead answer "Node with given id
    does not belong to the document" while the old page is torn down: that is gone too."""
    from selenium.common.exceptions import WebDriverException

    def check(_driver):
        try:
            element.is_enabled()
        except WebDriverException:
            return True
        return False

    return check


def admin_login(driver, live_server, username, password="pw", *, next_url="/admin/"):
    """Log in through the real admin login form (django-axes sees the request)."""
    from selenium.webdriver.common.by import By

    driver.get(f"{live_server.url}/admin/login/?next={next_url}")
    driver.find_element(By.ID, "id_username").send_keys(username)
    driver.find_element(By.ID, "id_password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "#login-form [type=submit]").click()
    wait_for(driver, lambda d: "/admin/login/" not in d.current_url)
    return driver
