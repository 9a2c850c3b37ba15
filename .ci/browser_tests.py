"""The web pages in Chromium (issue 13 item 7), as the README's newcomer uses them.

Run by .ci/browser, which starts the gateway. Every page visited is scanned with axe-core
(WCAG 2.1 A and AA rules); a serious or critical violation fails the run. Screenshots of the
main pages go to $SLUIS_SCREENSHOTS.
"""
import datetime
import os
import subprocess
import sys
import time

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE = os.environ["SLUIS_URL"]
SERVE_OUT = os.environ["SERVE_OUT"]
SLUIS = os.environ["SLUIS"]
SHOTS = os.environ["SLUIS_SCREENSHOTS"]
TODAY = datetime.date.today().isoformat()
scanned = {}


def credentials(username):
    """Password and TOTP secret of a demo delegate, as `sluis serve --demo` printed them."""
    for line in reversed(open(SERVE_OUT, encoding="utf-8").read().splitlines()):
        cells = [cell.strip() for cell in line.split("|")]
        if len(cells) > 6 and cells[1] == username:
            return cells[4], cells[5]
    sys.exit(f"browser: no demo credentials for {username} in serve.out")


def browser():
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=nl-NL"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": "nl-NL,nl"})
    os.environ.setdefault("SE_OFFLINE", "true")
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def scan(driver, name):
    """axe-core on the page as shown: no serious or critical violation (WCAG 2.1 A, AA)."""
    axe = Axe(driver)
    axe.inject()
    version = driver.execute_script("return axe.version")
    tags = ["wcag2a", "wcag2aa", "best-practice"] + (["wcag21a", "wcag21aa"] if int(version.split(".")[0]) >= 4 else [])
    scanned.setdefault("axe-core", version)
    results = axe.run(options={"runOnly": {"type": "tag", "values": tags}})
    bad = [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]
    scanned[name] = len(results["violations"])
    if bad:
        for violation in bad:
            print(f"axe: {name}: {violation['impact']} {violation['id']}: {violation['help']}", file=sys.stderr)
            for node in violation["nodes"][:3]:
                print(f"      {node['target']}", file=sys.stderr)
        sys.exit(f"browser: {name} has serious or critical accessibility violations")


def shot(driver, name):
    os.makedirs(SHOTS, exist_ok=True)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, min(max(height, 700), 4000))
    driver.save_screenshot(os.path.join(SHOTS, f"{name}.png"))
    driver.set_window_size(1280, 1000)


def visit(driver, path, name, screenshot=False):
    driver.get(BASE + path)
    check(driver, name, screenshot)


def check(driver, name, screenshot=False):
    assert "<script" not in driver.page_source, f"{name}: a script on the page"
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "nl", f"{name}: lang"
    scan(driver, name)
    if screenshot:
        shot(driver, name)


def expect(driver, text, where):
    if text not in driver.page_source:
        sys.exit(f"browser: {where}: expected '{text}' on {driver.current_url}")


def login(driver, username, name=None):
    password, secret = credentials(username)
    visit(driver, "/inloggen", name or "inloggen", screenshot=name is not None)
    driver.find_element(By.ID, "gebruikersnaam").send_keys(username)
    driver.find_element(By.ID, "wachtwoord").send_keys(password)
    code = fresh_code(username, secret)
    driver.find_element(By.ID, "code").send_keys(code)
    click(driver, driver.find_element(By.CSS_SELECTOR, "form button[type=submit]"))
    expect(driver, "Uitloggen", f"login {username}")


used_codes = {}


def fresh_code(username, secret):
    """A TOTP code this run has not used for `username`: one code opens one session (RFC 6238
    §5.2), so a second login of the same delegate waits for the next 30-second step."""
    while True:
        code = subprocess.run([SLUIS, "totp", secret], check=True, capture_output=True, text=True).stdout.strip()
        if used_codes.get(username) != code:
            used_codes[username] = code
            return code
        time.sleep(1)


def logout(driver):
    click(driver, driver.find_element(By.CSS_SELECTOR, "form[action='/uitloggen'] button"))
    expect(driver, "U bent uitgelogd.", "logout")


def fill_date(driver, element_id, day):
    # The page has no script; the test sets the date input's value as a person picks a day.
    driver.execute_script("arguments[0].value = arguments[1]", driver.find_element(By.ID, element_id), day)


def click(driver, element):
    """Clicks a link or button and waits until the next page has replaced this one."""
    page = driver.find_element(By.TAG_NAME, "html")
    try:
        element.click()
    except WebDriverException as error:
        # Chromium may already be on the next page when the click's own reply comes back.
        if "does not belong to the document" not in str(error):
            raise
    WebDriverWait(driver, 10).until(replaced(page))


def replaced(page):
    """Selenium's staleness_of, also when Chromium answers that the node left the document
    (a WebDriverException, not a StaleElementReferenceException, when the page changed mid-call)."""
    def predicate(_):
        try:
            page.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return True
            raise
    return predicate


def submit(driver, action):
    click(driver, driver.find_element(By.CSS_SELECTOR, f"form[action='{action}'] button[type=submit]"))


def main():
    # Two browsers, as two people at their desks: the nurse stays logged in (a TOTP code opens
    # one session, so logging her in again would wait for the next code); the SWV and the FG
    # take turns in the other.
    driver, other = browser(), browser()
    current = driver
    try:
        # 1. The jeugdverpleegkundige logs in with password and TOTP, picks a case.
        login(driver, "jvk.demo", name="inloggen")
        check(driver, "start", screenshot=True)
        visit(driver, "/cjg", "cjg-dossiers")
        click(driver, driver.find_element(By.CSS_SELECTOR, "table a"))
        case_path = driver.current_url[len(BASE):]
        check(driver, "cjg-dossier", screenshot=True)
        # 2. She records that she informed the parents (art. 12.1) and a fact of the CJG's own (art. 3.4 sub c).
        fill_date(driver, "i-datum", TODAY)
        driver.find_element(By.ID, "i-wijze").send_keys("gesprek")
        submit(driver, case_path + "/informeren")
        Select(driver.find_element(By.ID, "g-veld")).select_by_value("supportFacts")
        driver.find_element(By.ID, "g-waarde").send_keys("Begeleiding door de jeugdverpleegkundige (demogegeven).")
        submit(driver, case_path + "/gegevens")
        expect(driver, "Begeleiding door de jeugdverpleegkundige", "own fact")
        # 3. The consent: to the SWV, support facts, the parent and the pupil (fn 28), with evidence.
        driver.find_element(By.ID, "t-ontvanger-swv").click()
        driver.find_element(By.ID, "t-veld-supportFacts").click()
        for giver in ("parent", "pupil"):
            Select(driver.find_element(By.ID, f"{giver}-antwoord")).select_by_value("given")
            fill_date(driver, f"{giver}-datum", TODAY)
            driver.find_element(By.ID, f"{giver}-bewijs").send_keys("JGZ-dossier, formulier " + TODAY)
        submit(driver, case_path + "/toestemmingen")
        expect(driver, "<strong>gegeven</strong>", "consent recorded")
        consent_path = driver.current_url[len(BASE):]
        consent_id = consent_path.rsplit("/", 1)[1]
        check(driver, "cjg-toestemming")
        # 4. She discloses the support facts to the SWV: the consent carries it.
        driver.get(BASE + case_path)
        Select(driver.find_element(By.ID, "v-ontvanger")).select_by_value("swv-go")
        Select(driver.find_element(By.ID, "v-overleg")).select_by_value("thuiszitterstafel")
        Select(driver.find_element(By.ID, "v-doel")).select_by_value("3.1.d")
        driver.find_element(By.ID, "v-veld-supportFacts").click()
        submit(driver, case_path + "/verstrekkingen")
        expect(driver, "Verstrekking: toegestaan", "disclosure")
        check(driver, "cjg-verstrekking", screenshot=True)
        driver.get(BASE + consent_path)
        expect(driver, "swv-go", "consent used")
        check(driver, "cjg-toestemming", screenshot=True)

        # 5. The SWV opens the bundle in its mailbox and acknowledges it.
        current = other
        login(other, "swv.demo")
        visit(other, "/postvak", "postvak", screenshot=True)
        click(other, other.find_element(By.PARTIAL_LINK_TEXT, "Verstrekking openen"))
        expect(other, "Begeleiding door de jeugdverpleegkundige", "bundle opened")
        check(other, "postvak-bericht", screenshot=True)
        click(other, other.find_element(By.CSS_SELECTOR, "form[action$='/ontvangst'] button"))
        logout(other)

        # 6. The nurse revokes the consent: the confirmation names the SWV; the reach is shown.
        current = driver
        driver.get(BASE + consent_path + "/intrekken")
        expect(driver, "<li>swv-go</li>", "revocation confirmation")
        check(driver, "cjg-intrekken", screenshot=True)
        click(driver, driver.find_element(By.CSS_SELECTOR, "button.gevaar"))
        expect(driver, "<strong>ingetrokken</strong>", "revoked")
        expect(driver, "Bereik van de intrekking", "revocation reach")
        logout(driver)

        # 7. The CJG's FG filters the register: the disclosure with the consent it rested on.
        current = other
        login(other, "fg-cjg.demo")
        visit(other, "/fg/register", "fg-register")
        Select(other.find_element(By.ID, "partij")).select_by_value("swv-go")
        Select(other.find_element(By.ID, "besluit")).select_by_value("permit")
        click(other, other.find_element(By.CSS_SELECTOR, "form.filter button"))
        expect(other, consent_id, "register filtered")
        check(other, "fg-register", screenshot=True)
        other.get(BASE + "/fg/register?besluit=deny")
        if consent_id in other.page_source:
            sys.exit("browser: the filter on decision did not filter")
        # An error page is a page too.
        visit(other, "/cjg/toestemmingen/onbekend", "fout")
        logout(other)
        current = other
        __import__("browser_school").scenario(sys.modules[__name__], other)
        __import__("browser_swv").scenario(sys.modules[__name__], other)
        current = driver
        __import__("browser_fg").scenario(sys.modules[__name__], driver)
    except Exception:
        # What the page said, for the CI log (the demo's invented data only).
        print(f"browser: failed on {current.current_url}:\n{current.find_element(By.TAG_NAME, 'body').text[:2000]}", file=sys.stderr)
        raise
    finally:
        driver.quit()
        other.quit()
    version = scanned.pop("axe-core")
    print(f"browser: pages scanned with axe-core {version}, no serious or critical violations: "
          + ", ".join(f"{name} ({count} moderate or minor)" for name, count in scanned.items()))


if __name__ == "__main__":
    main()
