/// The inzage report's Mustache template (convenant art. 13.1 sub a, 13.2; art. 12 sub f; fn 27).
/// Plain Dutch for a pupil or parent; every value is escaped by the engine (`{{…}}`, never `{{{…}}}`).
enum InzageTemplate {
    static let text = """
<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<title>Inzage: wat Sluis over de leerling bewaart en deelde</title>
<style>
@page { size: A4; margin: 1.5cm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10pt; margin: 0; color: #111; }
h1 { font-size: 16pt; } h2 { font-size: 12.5pt; margin-top: 1.4em; border-bottom: 1px solid #888; }
table { border-collapse: collapse; width: 100%; margin: .4em 0; }
th, td { border: 1px solid #bbb; padding: 3px 5px; text-align: left; vertical-align: top; overflow-wrap: break-word; }
table.wide { font-size: 8pt; }
th { background: #eee; } .none { color: #555; font-style: italic; } .small { font-size: 8.5pt; color: #333; }
tr { page-break-inside: avoid; }
</style>
</head>
<body>
<h1>Inzage: wat Sluis over de leerling bewaart en met wie het is gedeeld</h1>
<p>Dit overzicht is gemaakt op {{madeAt}} door {{madeBy}}, de regisseur van het overleg, op uw verzoek om inzage
(Privacy Convenant Thuiszitters Goeree-Overflakkee, artikel 13.1 sub a; artikel 15 van de AVG). Het noemt alles wat Sluis,
het systeem waarmee de partijen van het convenant gegevens over de leerling uitwisselen, over deze leerling bewaart, en
elke regel uit het verwerkingsregister over de leerling: wie welke gegevens met wie deelde, wanneer, waarvoor en op welke grond.
Gegevens van andere leerlingen staan er niet in. Kenmerk van de casus bij {{madeBy}}: {{caseReference}}.</p>
<p>Klopt er iets niet, dan kunt u vragen het te verbeteren, de verwerking te beperken, bezwaar maken of vragen de gegevens te
wissen (artikel 13.1 sub b en c). U kunt een klacht indienen bij de deelnemers van het overleg en bij de Autoriteit
Persoonsgegevens (artikel 12 sub f).</p>

<h2>1. De leerling</h2>
<table>{{#identity}}<tr><th>{{label}}</th><td>{{value}}</td></tr>{{/identity}}</table>

<h2>2. De casus</h2>
<table>{{#caseState}}<tr><th>{{label}}</th><td>{{value}}</td></tr>{{/caseState}}</table>

<h2>3. Wat elke partij over de leerling heeft vastgelegd</h2>
{{^empty(facts)}}<table><tr><th>partij</th><th>gegeven</th><th>inhoud</th><th>vastgelegd op</th></tr>{{/empty(facts)}}
{{#facts}}<tr><td>{{party}}</td><td>{{field}}</td><td>{{value}}</td><td>{{at}}</td></tr>{{/facts}}
{{^empty(facts)}}</table>{{/empty(facts)}}
{{^facts}}<p class="none">Geen andere gegevens dan hierboven.</p>{{/facts}}

<h2>4. Wie u heeft geïnformeerd (artikel 12)</h2>
{{#informing}}<p>{{party}}: op {{at}}, per {{method}}.</p>{{/informing}}
{{^informing}}<p class="none">Er is niet vastgelegd dat u bent geïnformeerd.</p>{{/informing}}

<h2>5. Toestemmingen (artikel 6.1)</h2>
{{#consents}}
<table>
<tr><th>vastgelegd door</th><td>{{holder}}, op {{recordedAt}}</td></tr>
<tr><th>voor de gegevens</th><td>{{fields}}</td></tr>
<tr><th>aan</th><td>{{recipients}}</td></tr>
{{#question}}<tr><th>voor de vraag</th><td>{{question}}</td></tr>{{/question}}
{{#endsOn}}<tr><th>geldig tot en met</th><td>{{endsOn}}</td></tr>{{/endsOn}}
<tr><th>antwoorden</th><td>{{#answers}}{{giver}}: {{answer}} op {{on}}<br>{{/answers}}{{^answers}}nog geen{{/answers}}</td></tr>
<tr><th>ingetrokken</th><td>{{#revokedAt}}ja, op {{revokedAt}}: daarna is op deze toestemming niets meer gedeeld{{/revokedAt}}{{^revokedAt}}nee{{/revokedAt}}</td></tr>
</table>
{{/consents}}
{{^consents}}<p class="none">Er is geen toestemming vastgelegd.</p>{{/consents}}

<h2>6. Meldingen bij DUO (Leerplichtwet artikel 21a)</h2>
{{#meldingen}}<p>{{date}}: {{kind}}, gemeld door {{by}}, meldingsnummer {{reference}}, stand {{status}}; wat de leerplichtambtenaar daardoor van de identiteit ziet: {{identity}}.</p>{{/meldingen}}
{{^meldingen}}<p class="none">Geen.</p>{{/meldingen}}

<h2>7. Vragen aan het schoolondersteuningsteam (Bijlage 3.2)</h2>
{{#sotQuestions}}<p>{{at}}, door {{by}}: {{text}}</p>{{/sotQuestions}}
{{^sotQuestions}}<p class="none">Geen.</p>{{/sotQuestions}}

<h2>8. De thuiszitterstafel (Bijlage 3.3)</h2>
{{#tafel}}<p>Op de lijst als nummer {{number}} gezet door {{by}} op {{at}}. Korte beschrijving: {{summary}}. Voortgang: {{progress}}. Van de lijst: {{left}}.</p>{{/tafel}}
{{^tafel}}<p class="none">De leerling stond niet op de lijst van de thuiszitterstafel.</p>{{/tafel}}

<h2>9. Wie deelde wat met wie ({{disclosureCount}})</h2>
<p>Elke keer dat een partij gegevens over de leerling wilde delen, besliste Sluis volgens het convenant wat mocht. Ook wat is
geweigerd staat hier.</p>
{{^empty(disclosures)}}<table class="wide"><tr><th>wanneer</th><th>van</th><th>aan</th><th>overleg en doel</th><th>gedeeld</th><th>niet gedeeld</th><th>grond</th><th>toestemming</th></tr>{{/empty(disclosures)}}
{{#disclosures}}<tr><td>{{time}}</td><td>{{from}}</td><td>{{to}}</td><td>{{forum}}; {{purpose}}</td><td>{{released}}</td><td>{{withheld}}</td><td class="small">{{basis}}</td><td class="small">{{consent}}</td></tr>{{/disclosures}}
{{^empty(disclosures)}}</table>{{/empty(disclosures)}}
{{^disclosures}}<p class="none">Er zijn geen gegevens over de leerling gedeeld.</p>{{/disclosures}}

<h2>10. Alle regels over de leerling in het verwerkingsregister ({{entryCount}})</h2>
<p class="small">Het register kent de leerling alleen onder een pseudoniem ({{pseudonyms}}), nooit onder naam of burgerservicenummer.
Elke regel is beveiligd tegen wijzigen; het nummer is de plaats in het register.</p>
{{^empty(entries)}}<table class="wide"><tr><th>nr.</th><th>wanneer</th><th>wat</th><th>door</th><th>aan</th><th>besluit</th></tr>{{/empty(entries)}}
{{#entries}}<tr><td>{{index}}</td><td>{{time}}</td><td>{{what}}</td><td>{{from}}</td><td>{{to}}</td><td>{{decision}}</td></tr>{{/entries}}
{{^empty(entries)}}</table>{{/empty(entries)}}
{{^entries}}<p class="none">Geen.</p>{{/entries}}
</body>
</html>
"""
}
