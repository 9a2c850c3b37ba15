"""The SWV's thuiszitterstafel pages in Chromium (issue 13 item 3; Bijlage 3.3): swv.demo puts
the demo's pupils on the list, composes an agenda, checks the preview per participant and sends
it exactly as previewed; writes the minutes and sends them; the leerplichtambtenaar opens the
agenda in his mailbox. Every page is scanned with axe-core by `b.check` / `b.visit`."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select


def scenario(b, driver):
    # 1. The list (hoofdstuk 5; Bijlage 3.3 sub 5): the kernteam puts the demo's pupils on it.
    b.login(driver, "swv.demo")
    b.visit(driver, "/swv/tafel", "swv-tafel")
    for number in range(3):
        options = driver.find_elements(By.CSS_SELECTOR, "#dossier option")
        if not options:
            break
        ref, kind = options[0].get_attribute("value"), options[0].text.split(" — ", 1)[1]
        # The registrar informs the parents and the pupil that the pupil will be discussed
        # (Bijlage 3.3 sub 4; art. 12.1): without it nothing of the pupil goes to the table.
        driver.get(b.BASE + f"/cjg/dossiers/{ref}")
        b.fill_date(driver, "i-datum", b.TODAY)
        driver.find_element(By.ID, "i-wijze").send_keys("brief")
        b.submit(driver, f"/cjg/dossiers/{ref}/informeren")
        driver.get(b.BASE + "/swv/tafel")
        Select(driver.find_element(By.ID, "dossier")).select_by_value(ref)
        # The case keeps its own type (the option says which): the same row of the table.
        Select(driver.find_element(By.ID, "soort")).select_by_visible_text(kind)
        driver.find_element(By.ID, "beschrijving").send_keys(f"Thuiszitter {number + 1}: zoekt een passende plek (demogegeven).")
        b.submit(driver, "/swv/tafel")
        b.expect(driver, "Teksten van uw organisatie", "pupil on the list")
        if number == 0:
            b.check(driver, "swv-tafel-regel", screenshot=True)
        driver.get(b.BASE + "/swv/tafel")
    b.check(driver, "swv-tafel", screenshot=True)

    # 2. Compose an agenda for today (Bijlage 3.3 sub 1), every pupil of the list ticked.
    b.visit(driver, "/swv/agenda", "swv-agendas", screenshot=True)
    b.submit(driver, "/swv/agenda")
    agenda_path = driver.current_url[len(b.BASE):]

    # 3. The preview per participant, then the send with its confirmation.
    b.expect(driver, "Voorbeeld per deelnemer", "agenda preview")
    b.expect(driver, "Onder pseudoniem", "a pupil under a pseudonym, with the reason")
    b.expect(driver, "Deze deelnemers krijgen niets", "the confirmation names who gets nothing")
    b.check(driver, "swv-agenda", screenshot=True)
    b.submit(driver, agenda_path + "/verzenden")
    b.expect(driver, "Agenda verzonden", "agenda sent")
    b.expect(driver, "gemeente-goeree-overflakkee (leerplicht)", "a bundle for the leerplichtambtenaar")
    b.check(driver, "swv-verzonden", screenshot=True)
    driver.get(b.BASE + agenda_path)
    b.expect(driver, "Verzonden op", "what went to whom")
    b.check(driver, "swv-agenda-verzonden")

    # 4. The minutes (Bijlage 3.3 sub 4): decisions and actions of the first pupil, previewed, sent.
    b.visit(driver, agenda_path + "/verslag", "swv-verslag")
    driver.find_element(By.CSS_SELECTOR, "textarea[id^='besluiten-']").send_keys("Onderzoek naar een passende plek (demogegeven).")
    driver.find_element(By.CSS_SELECTOR, "textarea[id^='acties-']").send_keys("Procesbewaker belt de ouders (demogegeven).")
    b.submit(driver, agenda_path + "/verslag")
    minutes_path = driver.current_url[len(b.BASE):]
    b.expect(driver, "Verslag versie 1", "minutes preview")
    b.check(driver, "swv-verslag-voorbeeld")
    b.submit(driver, minutes_path + "/verzenden")
    b.expect(driver, "Verslag versie 1 verzonden", "minutes sent")
    b.logout(driver)

    # 5. The leerplichtambtenaar opens the agenda in his mailbox (art. 10).
    b.login(driver, "leerplicht.demo")
    b.visit(driver, "/postvak", "postvak-leerplicht")
    b.click(driver, driver.find_element(By.PARTIAL_LINK_TEXT, "Agenda thuiszitterstafel openen"))
    b.expect(driver, "Thuiszitter 1", "the agenda opened")
    b.check(driver, "postvak-agenda", screenshot=True)
    b.logout(driver)
