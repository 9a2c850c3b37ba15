"""The school's pages in Chromium (issue 13 item 4; docs/pages.md): the demo zorgcoördinator
uploads an absence file with one bad line and sees that line's error (nothing imported: contract
absence.md, a whole file or nothing), then a good file; sees the relatief-verzuim signal with its
due date (the 5th working day, Lpw art. 21a; Bijlage 4) and records the DUO melding that answers
it; shares the verzuimoverleg's list. Every page is scanned with axe-core; the main ones are screenshotted."""
import datetime
import os
import tempfile
import zoneinfo

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select


def absence_file(folder, name, rows):
    path = os.path.join(folder, name)
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("pupil,date,kind,hours,unit\r\n" + "".join(row + "\r\n" for row in rows))
    return path


def upload(b, driver, path):
    driver.find_element(By.ID, "bestand").send_keys(path)
    b.submit(driver, "/school/verzuim")


def scenario(b, driver):
    # The gateway's "today" is Amsterdam's (registrations after it are refused).
    today = datetime.datetime.now(zoneinfo.ZoneInfo("Europe/Amsterdam")).date()
    day = lambda offset: (today + datetime.timedelta(days=offset)).isoformat()
    folder = tempfile.mkdtemp(prefix="sluis-school-")
    good = [f"L-0042,{day(-9)},ongeoorloofd,6,lesuur", f"L-0042,{day(-2)},ongeoorloofd,6,lesuur",
            f"L-0042,{day(0)},ongeoorloofd,4,lesuur", f"L-0043,{day(-1)},te-laat,,", f"L-0044,{day(-3)},ongeoorloofd,2,lesuur"]
    bad = good[:2] + [f"L-0042,{day(0)},ongeoorloofd,\"1,5\",lesuur"]

    b.login(driver, "zorgco.demo")
    b.visit(driver, "/school/verzuim", "school-verzuim")
    upload(b, driver, absence_file(folder, "verzuim-fout.csv", bad))
    b.expect(driver, "Er is niets ingelezen", "absence file refused")
    b.expect(driver, "<tr><td>4</td>", "the bad line's number")
    b.expect(driver, "geen getal: gebruik een punt", "the bad line's error")
    b.check(driver, "school-verzuim-fout", screenshot=True)
    upload(b, driver, absence_file(folder, "verzuim.csv", good))
    b.expect(driver, "5 registraties van 3 leerlingen", "absence file imported")
    b.check(driver, "school-verzuim-ingelezen")

    b.visit(driver, "/school/signalen", "school-signalen", screenshot=True)
    b.expect(driver, "16 uur of meer ongeoorloofd verzuim", "relatief-verzuim signal")
    b.expect(driver, "(5 werkdagen)", "the due date's working days")
    b.click(driver, driver.find_element(By.CSS_SELECTOR, "a[href^='/school/duo-melding?']"))
    b.expect(driver, "relatief-verzuim van leerling L-0042", "melding form with the signal")
    b.check(driver, "school-duo-melding")
    Select(driver.find_element(By.ID, "dossier")).select_by_index(1)
    driver.find_element(By.ID, "meldingsnummer").send_keys("DUO-2026-0042")
    b.submit(driver, "/school/duo-melding")
    b.expect(driver, "DUO-melding vastgelegd", "melding recorded")
    b.check(driver, "school-duo-vastgelegd", screenshot=True)
    b.visit(driver, "/school/signalen", "school-signalen-na-melding")
    if "16 uur of meer ongeoorloofd verzuim" in driver.page_source:
        raise SystemExit("browser: the answered signal is still listed")

    # The verzuimoverleg: beginning absence, shared as counts only (verzuimprotocol 5.4.1; Bijlage 3.1).
    b.visit(driver, "/school/verzuimoverleg", "school-verzuimoverleg", screenshot=True)
    b.expect(driver, "L-0044", "beginning absence on the list")
    for recipient in ("ontvanger-gemeente-goeree-overflakkee", "ontvanger-cjg-rijnmond"):
        driver.find_element(By.ID, recipient).click()
    b.fill_date(driver, "datum", day(7))
    b.submit(driver, "/school/verzuimoverleg")
    b.expect(driver, "alleen de aantallen", "list shared")
    b.check(driver, "school-verzuimoverleg-lijst", screenshot=True)
    b.logout(driver)
