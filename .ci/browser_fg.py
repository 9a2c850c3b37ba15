"""The FG's pages in Chromium (issue 13 item 6): the CJG's FG filters the register, opens an entry
with its inclusion proof, saves the newest checkpoint; the test then changes an entry in the
gateway's SQLite file behind its back, and the integrity page flags the register as not intact
and the saved checkpoint as no longer held — in Dutch. Charts, the art. 30 register and the
rights requests are scanned with axe-core like every page. Called from browser_tests.main()."""
import os
import sqlite3
import sys
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select


def scenario(b, driver):
    b.login(driver, "fg-cjg.demo")
    # The register, filtered by party and processing activity (art. 15.2; AVG art. 30).
    b.visit(driver, "/fg/register", "fg-register-filter")
    Select(driver.find_element(By.ID, "partij")).select_by_value("swv-go")
    Select(driver.find_element(By.ID, "activiteit")).select_by_value("verstrekking-thuiszitterstafel")
    b.click(driver, driver.find_element(By.CSS_SELECTOR, "form.filter button"))
    b.expect(driver, "cjg-rijnmond → swv-go", "register filtered by activity")
    # An entry with its RFC 9162 inclusion proof against the newest signed checkpoint.
    b.click(driver, driver.find_element(By.CSS_SELECTOR, "table.register tbody a"))
    index = driver.current_url.rsplit("/", 1)[1]
    b.expect(driver, "staat ongewijzigd in het register", "inclusion proof checked")
    b.check(driver, "fg-regel", screenshot=True)
    # The integrity page: intact; the FG downloads the newest checkpoint to keep.
    b.visit(driver, "/fg/integriteit", "fg-integriteit", screenshot=True)
    b.expect(driver, "Het register is intact", "integrity before tampering")
    cookie = driver.get_cookie("sluis_sessie")["value"]
    request = urllib.request.Request(b.BASE + "/fg/integriteit/checkpoint.txt", headers={"Cookie": f"sluis_sessie={cookie}"})
    saved = urllib.request.urlopen(request).read().decode("utf-8")
    # Charts, the art. 30 register and the rights requests.
    b.visit(driver, "/fg/grafieken", "fg-grafieken", screenshot=True)
    b.expect(driver, "<svg", "chart drawn")
    b.visit(driver, "/fg/verwerkingsregister", "fg-verwerkingsregister")
    # A long page: its first screen only, to keep the committed picture small.
    os.makedirs(b.SHOTS, exist_ok=True)
    driver.save_screenshot(os.path.join(b.SHOTS, "fg-verwerkingsregister.png"))
    b.visit(driver, "/fg/verzoeken", "fg-verzoeken")
    # Tampering: the entry's decision changed in the server's SQLite file while it runs.
    database = os.path.join(os.path.dirname(b.SERVE_OUT), "sluis.sqlite")
    with sqlite3.connect(database, timeout=10) as connection:
        changed = connection.execute("UPDATE register_entries SET body = REPLACE(body, '\"permit\"', '\"deny\"') WHERE idx = ?",
                                     (int(index),)).rowcount
    if changed != 1:
        sys.exit(f"browser: could not tamper with entry {index}")
    # A view goes on from the last whole check; the FG asks for a whole one, which finds the edit.
    b.visit(driver, "/fg/integriteit", "fg-integriteit-aangetast")
    b.click(driver, driver.find_element(By.CSS_SELECTOR, "form.volledig button[type=submit]"))
    b.expect(driver, "Het register is niet intact", "tampering flagged")
    b.check(driver, "fg-integriteit-aangetast", screenshot=True)
    driver.find_element(By.ID, "checkpoint").send_keys(saved)
    b.click(driver, driver.find_element(By.CSS_SELECTOR, "form:not(.volledig)[action='/fg/integriteit'] button[type=submit]"))
    b.expect(driver, "Het register past niet bij uw bewaarde checkpoint", "saved checkpoint no longer held")
    b.check(driver, "fg-integriteit-checkpoint")
    b.logout(driver)
