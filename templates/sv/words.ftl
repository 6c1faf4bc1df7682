# Ordlista (svenska): alla ord som programmet visar utanför dokumentens löptext.
# Formatet är Project Fluent: https://projectfluent.org/fluent/guide/
# Ett meddelande ersätts med ett meddelande med samma namn i sv/words.ftl i mappen för --templates.

## Dokument

doc-title = { $doc ->
    [data-processing] Avtal om behandling av personuppgifter
    [agreement] Avtal om gemensam användning av anslutningsserver
    [authorisation] Fullmakt för ansökan om certifikat
    [permit-fields] Uppgifter för ansökan om användningstillstånd
    [member-checklist] Checklista för den anslutande organisationen
    [owner-checklist] Checklista för ägaren
    [certificates] Certifikatregister
   *[overview] Översikt över den gemensamma anslutningsservern
}
doc-short = { $doc ->
    [data-processing] Behandling av personuppgifter
    [agreement] Avtal
    [authorisation] Fullmakt
    [permit-fields] Uppgifter för användningstillstånd
    [member-checklist] Medlemmens checklista
    [owner-checklist] Ägarens checklista
    [certificates] Certifikatregister
   *[overview] Översikt
}
draft-mark = UTKAST
stage = { $stage ->
    [draft] utkast
   *[final] slutlig version
}

## Tjänstekanalens begrepp

cert-kind = { $kind ->
    [authentication] autentiseringscertifikat
    [signing] signeringscertifikat
    [internal-tls] internt TLS-certifikat
   *[client-tls] TLS-klientcertifikat
}
cert-status = { $status ->
    [ok] giltigt
    [renew-soon] ska förnyas nu
    [expired] har gått ut
   *[unknown] okänt
}
party = { $party ->
    [owner] ägaren
   *[member] den anslutande organisationen
}
platform = { $platform ->
    [ubuntu] Ubuntu-värdserver
    [rhel] RHEL-värdserver
   *[sidecar] Security Server Sidecar-container
}
platform-short = { $platform ->
    [ubuntu] Ubuntu
    [rhel] RHEL
   *[sidecar] Sidecar-container
}
role = { $role ->
    [technical] teknisk kontaktperson
    [administrative] administrativ kontaktperson
   *[signatory] undertecknare
}
member-class = { $class ->
    [GOV] statsförvaltning
    [MUN] kommuner
    [COM] företag
    [EDU] utbildning
    [ORG] icke-vinstdrivande organisationer
   *[PRI] privatpersoner
}
instance = { $instance ->
    [FI] produktionsmiljö (FI)
    [FI-TEST] testmiljö (FI-TEST)
   *[FI-DEV] utvecklingsmiljö (FI-DEV)
}
# Bestämd form, efter ”i …” (”i testmiljön (FI-TEST)”).
instance-in = { $instance ->
    [FI] produktionsmiljön (FI)
    [FI-TEST] testmiljön (FI-TEST)
   *[FI-DEV] utvecklingsmiljön (FI-DEV)
}
# Bestämd form, efter ”för …” och ”till …”.
instance-to = { instance-in }
phase = { $phase ->
    [agreement] Avtal om gemensam användning av anslutningsservern ingått
    [policies] Överenskommet om anslutningsserverns rutiner, till exempel vem som skapar TLS-klientcertifikaten
    [server-details] Anslutningsserverns FQDN, IPv4-adress och ägarens medlemsklass överlämnade till den anslutande organisationen
    [authorisation] Fullmakt att ansöka om certifikat given till ägaren
    [authorisation-received] Den undertecknade fullmakten mottagen från den anslutande organisationen
    [permit] Ansökan om användningstillstånd för { instance-in } skickad
    [permit-reference] Diarienumret för beslutet om användningstillstånd ({ $instance }) lämnat till ägaren
    [client-tls] TLS-certifikaten utväxlade och HTTPS-förbindelsen mellan informationssystemen och anslutningsservern fungerar i { instance-in }
    [client-tls-by-member] TLS-klientcertifikaten skapade och deras publika delar överlämnade till ägaren i { instance-in }
    [client-tls-by-owner] TLS-klientcertifikaten skapade och överlämnade till den anslutande organisationen i { instance-in }
    [sign-cert-confirmed] Ägaren har bekräftat att signeringscertifikatet tagits i bruk i { instance-in }
    [central-registration] Tjänstekanalens underhållsteam har lagt till organisationen och undersystemet på centralservern i { instance-in }
    [add-subsystem] Undersystemet tillagt på anslutningsservern i { instance-in }
    [sign-key] Signeringsnyckel och certifikatbegäran (CSR) skapade i { instance-in }
    [sign-cert-applied] Signeringscertifikat för { instance-in } sökt i DVV:s e-tjänster
    [sign-cert-installed] Signeringscertifikatet installerat och ibruktagandet bekräftat för den anslutande organisationen i { instance-in }
    [registration-request] Registreringsbegäran för undersystemet skickad från anslutningsservern i { instance-in }
    [sign-cert-registered] Tjänstekanalens underhållsteam har godkänt registreringen av signeringscertifikatet i { instance-in }
   *[renewals-scheduled] Förnyelsen av certifikaten inplanerad
}
months = { $n ->
    [one] { $n } månad
   *[other] { $n } månader
}
months-short = { $n } mån.
percent = { $n } %

## Fält- och tabellrubriker i dokumenten

label-name = Namn
label-official-name = Officiellt namn
label-member-class = Medlemsklass
label-business-id = FO-nummer
label-member-code = Medlemskod
label-provides-services = producerar tjänster
placeholder-ipv4 = platshållaradress från ett dokumentationsintervall – ersätt den med serverns offentliga adress
label-address = Adress
label-role = Roll
label-name-title = Namn och befattning
label-email = E-post
label-phone = Telefon
label-item = Uppgift
label-value = Värde
label-instance-code = Miljö (instans)
label-fqdn = Serverns namn (FQDN)
label-ipv4 = IPv4-adress
label-platform = Plattform
label-server-code = Anslutningsserverns kod
label-server-id = Anslutningsserverns identifierare
label-subsystem = Undersystem
label-purpose = Ändamål
label-instance = Miljö
label-identifier = Identifierare
label-task = Uppgift
label-responsible = Ansvarig
label-certificate = Certifikat
label-use = Användning
label-handled-by = Sköts i detta arrangemang av
label-usual-validity = Normal giltighetstid
label-belongs-to = Gäller
label-applies-or-creates = Ansöker eller skapar
label-valid-until = Giltigt till
label-server-fqdn = Anslutningsserver (FQDN)
label-principal-member-id = Fullmaktsgivarens medlemsidentifierare
label-csr-subject = Certifikatbegärans innehavaruppgifter (Subject DN)
label-permit-number = Diarienummer för beslutet om användningstillstånd
label-subject = Certifikatets innehavaruppgifter (Subject DN)
label-fingerprint = SHA-256-fingeravtryck
label-key = Nyckel
# Nyckelns algoritm och storlek, t.ex. RSA, 3072 bitar.
key-size = { $algorithm }, { $bits } bitar
label-field = Fält
label-field-value = Uppgift
label-org-name = Organisationens officiella namn
label-member-id = Medlemsidentifierare
label-subsystem-code = Undersystemets kod
label-subsystem-id = Undersystemets identifierare
label-server-name = Anslutningsserverns namn (FQDN)
label-owner-name = Ägarens officiella namn
label-owner-business-id = Ägarens FO-nummer
label-owner-member-class = Ägarens medlemsklass
label-next-step = Nästa steg
# Ett steg som väntar på ett steg hos den andra parten; det finns i den partens checklista.
waits-for = { $side ->
    [owner] väntar på ägarens steg ”{ $step }” (dokumentet ”{ $doc }”)
   *[member] väntar på den anslutande organisationens steg ”{ $step }” (dokumentet ”{ $doc }”)
}
label-holder = Innehavare
label-applies-renews = Ansöker och förnyar
label-applies = ansöker
label-renews = förnyar
label-validity = Giltighetstid
label-expires = Går ut
label-renewal-starts = Förnyelsen börjar
label-status = Status
label-server = Anslutningsserver
label-self-signed = självsignerat som standard
label-self-created = skapas av parten själv
label-name-fqdn = Namn (FQDN)
label-organisation = Organisation
label-instances = Miljöer
label-member-phases = Den anslutande organisationens faser
label-owner-phases = Ägarens faser
label-progress = Läge
label-agreement = Avtal
label-documents = Dokument
label-client-tls-certs = TLS-klientcertifikat
label-permit-decision = Beslut om användningstillstånd
sign-place = Ort och datum
sign-signature = Underskrift
sign-name = Namnförtydligande
sign-title = Befattning
sign-authority = Behörighet att underteckna
unknown = okänt

## Språk

lang-autonym = Svenska
lang-name = { $lang ->
    [fi] finska
    [sv] svenska
   *[en] engelska
}
in-lang = { $lang ->
    [fi] på finska
    [sv] på svenska
   *[en] på engelska
}

## PDF: sidmallen och dokumentpaketets pärmsida

pdf-page = Sida
pdf-contents = Innehåll
pdf-packet-title = Gemensam användning av anslutningsserver
pdf-packet-subtitle = Dokument
pdf-owner = Anslutningsserverns ägare
pdf-member = Anslutande organisation
pdf-business-id = FO-nummer
pdf-servers = Anslutningsservrar
pdf-subsystems = Undersystem
pdf-date = Datum
pdf-stage = Status
pdf-stage-value = { $stage ->
    [draft] Utkast
   *[final] Slutlig version
}

## Fotnoter på HTML-sidorna

footnotes = Fotnoter
footnote-back = Tillbaka till hänvisningen

## Förnyelsekalendern (renewals.ics)

calendar-name = Förnyelse av certifikat – { $owner }
calendar-summary = Förnya { $kind }: { $what }, { $instance }
calendar-steps-dvv =
    Certifikatet går ut { $expires } ({ $id }, { $server }).
    1. Skapa en ny nyckel och certifikatbegäran (CSR) i anslutningsserverns administrationsgränssnitt.
    2. Ansök om certifikatet i DVV:s e-tjänster med serverägarens kundkonto, bifoga CSR och diarienumret för beslutet om användningstillstånd ({ $permit }).
    3. Installera certifikatet som DVV levererar på anslutningsservern och ta det i bruk.
    4. Kontrollera att tjänstekanalens underhåll har godkänt registreringen av certifikatet och ta det gamla ur bruk.
    Förnyelsen tar minst en vecka; det gamla och det nya certifikatet kan användas samtidigt.
calendar-steps-dvv-owner =
    Certifikatet går ut { $expires } ({ $id }, { $server }).
    1. Skapa en ny nyckel och certifikatbegäran (CSR) i anslutningsserverns administrationsgränssnitt.
    2. Ansök om certifikatet i DVV:s e-tjänster med serverägarens kundkonto, bifoga CSR och diarienumret för ägarens eget beslut om användningstillstånd för den här miljön.
    3. Installera certifikatet som DVV levererar på anslutningsservern och ta det i bruk.
    4. Kontrollera att tjänstekanalens underhåll har godkänt registreringen av certifikatet och ta det gamla ur bruk.
    Förnyelsen tar minst en vecka; det gamla och det nya certifikatet kan användas samtidigt.
calendar-steps-own =
    Certifikatet går ut { $expires } ({ $id }, { $server }).
    Skapa ett nytt certifikat, byt ut det på anslutningsservern och i informationssystemet enligt överenskommelsen och kontrollera förbindelsen innan det gamla tas bort.

## Webbplatsen

site-site-name = Gemensam anslutningsserver
site-site-tagline = Dokument för Suomi.fi-tjänstekanalen
site-skip = Hoppa till innehållet
site-language = Språk
site-choose-language = Välj språk
site-documents-in-language = Dokumenten på svenska
site-site-nav = Webbplatsens navigering
site-breadcrumb = Brödsmulor
site-home = Startsida
site-all-languages = Alla språk
site-packet-documents = Gemensamma dokument
site-members = Anslutande organisationer
site-member-index = Medlemsförteckning
site-all-members = Alla medlemmar
site-member-count = Medlemmar
site-filter-members = Filtrera medlemmar
site-filter-hint = Med namn, FO-nummer eller id
site-members-shown = Medlemmar som visas
site-member-documents = Medlemmens dokument
site-documents = Dokument
site-on-this-page = På den här sidan
site-files = Som fil
site-markdown-file = Markdown
site-pdf-file = PDF
site-docx-file = Word
site-packet-pdf = Hela dokumentpaketet (PDF)
site-draft = Utkast
site-draft-notice = Dokumenten är utkast. Kontrollera uppgifterna innan de undertecknas.
site-owner = Serverns ägare
site-business-id = FO-nummer
site-member-class = Medlemsklass
site-date = Datum
site-place = Ort
site-environments = Miljöer
site-document-language = Dokumentens språk
site-subsystems = Undersystem
site-progress = Framsteg
site-phases-done = steg klara
site-member-side = medlemmen
site-owner-side = ägaren
site-servers = Anslutningsservrar
site-instance = Miljö
site-fqdn = Serverns namn (FQDN)
site-ipv4 = IPv4-adress
site-platform = Plattform
site-server-id = Serverns identifierare
site-certificates = Certifikat
site-certificate = Certifikat
site-holder = Innehavare
site-expires = Giltigt till
site-renew-from = Förnyelse börjar
site-status = Status
site-not-known = okänt
site-generated-by = Skapad med

## Terminalens tabeller (status, renewals)

term-certificate = certifikat
term-instance = miljö
term-holder = innehavare
term-expires = går ut
term-days = dagar
term-action = vad göra
term-applies = ansöker
term-renew-from = förnyelse börjar
term-status = status
term-action-expired = har gått ut: förnya genast och byt ut det på servern
term-action-dvv = ny nyckel och CSR i administrationsgränssnittet, ansök i DVV:s e-tjänster, installera, registrera
term-action-own = skapa ett nytt certifikat och byt ut det enligt överenskommelsen
term-none-expiring = Inget certifikat går ut inom { $days } dagar från { $today }.
term-expiring = Går ut inom { $days } dagar från { $today }, det första först:
term-all-certificates = Alla certifikat som arrangemanget behöver, per { $today }:
term-not-known = okänt
