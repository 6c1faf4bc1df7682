# Sanasto (suomi): kaikki sanat, jotka ohjelma näyttää asiakirjojen proosan ulkopuolella.
# Project Fluent -muoto: https://projectfluent.org/fluent/guide/
# Viesti korvataan kirjoittamalla samanniminen viesti --templates-kansion fi/words.ftl-tiedostoon.

## Asiakirjat

doc-title = { $doc ->
    [data-processing] Sopimus henkilötietojen käsittelystä
    [agreement] Sopimus liityntäpalvelimen yhteiskäytöstä
    [authorisation] Valtakirja varmenteiden hakemiseen
    [permit-fields] Käyttölupahakemuksen tiedot
    [member-checklist] Liittyvän organisaation tarkistuslista
    [owner-checklist] Omistajan tarkistuslista
    [certificates] Varmennerekisteri
   *[overview] Yhteiskäyttöisen liityntäpalvelimen yleiskuva
}
doc-short = { $doc ->
    [data-processing] Henkilötietojen käsittely
    [agreement] Sopimus
    [authorisation] Valtakirja
    [permit-fields] Käyttölupahakemuksen tiedot
    [member-checklist] Jäsenen tehtävät
    [owner-checklist] Omistajan tehtävät
    [certificates] Varmennerekisteri
   *[overview] Yleiskuva
}
draft-mark = LUONNOS
stage = { $stage ->
    [draft] luonnos
   *[final] lopullinen
}

## Palveluväylän käsitteet

cert-kind = { $kind ->
    [authentication] autentikointivarmenne
    [signing] allekirjoitusvarmenne
    [internal-tls] sisäinen TLS-varmenne
   *[client-tls] TLS-asiakasvarmenne
}
cert-status = { $status ->
    [ok] voimassa
    [renew-soon] uusittava nyt
    [expired] vanhentunut
   *[unknown] ei tiedossa
}
party = { $party ->
    [owner] omistaja
   *[member] liittyvä organisaatio
}
platform = { $platform ->
    [ubuntu] Ubuntu-isäntäpalvelin
    [rhel] RHEL-isäntäpalvelin
   *[sidecar] Security Server Sidecar -kontti
}
platform-short = { $platform ->
    [ubuntu] Ubuntu
    [rhel] RHEL
   *[sidecar] Sidecar-kontti
}
role = { $role ->
    [technical] tekninen yhteyshenkilö
    [administrative] hallinnollinen yhteyshenkilö
   *[signatory] allekirjoittaja
}
member-class = { $class ->
    [GOV] valtionhallinto
    [MUN] kunnat
    [COM] yritykset
    [EDU] koulutus
    [ORG] voittoa tavoittelemattomat yhteisöt
   *[PRI] yksityishenkilöt
}
instance = { $instance ->
    [FI] tuotantoympäristö (FI)
    [FI-TEST] testiympäristö (FI-TEST)
   *[FI-DEV] kehitysympäristö (FI-DEV)
}
# Inessiivi: „testiympäristössä (FI-TEST)”.
instance-in = { $instance ->
    [FI] tuotantoympäristössä (FI)
    [FI-TEST] testiympäristössä (FI-TEST)
   *[FI-DEV] kehitysympäristössä (FI-DEV)
}
# Illatiivi: „testiympäristöön (FI-TEST)”.
instance-to = { $instance ->
    [FI] tuotantoympäristöön (FI)
    [FI-TEST] testiympäristöön (FI-TEST)
   *[FI-DEV] kehitysympäristöön (FI-DEV)
}
phase = { $phase ->
    [agreement] Sopimus liityntäpalvelimen yhteiskäytöstä tehty
    [policies] Liityntäpalvelimen käytännöistä, kuten TLS-asiakasvarmenteiden tekijästä, sovittu
    [server-details] Liityntäpalvelimen FQDN, IPv4-osoite ja omistajan jäsenluokka toimitettu liittyvälle organisaatiolle
    [authorisation] Valtakirja varmenteiden hakemiseen annettu omistajalle
    [authorisation-received] Allekirjoitettu valtakirja saatu liittyvältä organisaatiolta
    [permit] Käyttölupahakemus lähetetty { instance-to }
    [permit-reference] Käyttölupapäätöksen diaarinumero ({ $instance }) toimitettu omistajalle
    [client-tls] TLS-varmenteet vaihdettu ja tietojärjestelmien HTTPS-yhteys liityntäpalvelimeen toimii { instance-in }
    [client-tls-by-member] TLS-asiakasvarmenteet luotu ja niiden julkiset osat toimitettu omistajalle { instance-in }
    [client-tls-by-owner] TLS-asiakasvarmenteet luotu ja toimitettu liittyvälle organisaatiolle { instance-in }
    [sign-cert-confirmed] Omistaja vahvistanut allekirjoitusvarmenteen käyttöönoton { instance-in }
    [central-registration] Palveluväylän ylläpito lisännyt organisaation ja alijärjestelmän keskuspalvelimelle { instance-in }
    [add-subsystem] Alijärjestelmä lisätty liityntäpalvelimelle { instance-in }
    [sign-key] Allekirjoitusavain ja varmennepyyntö (CSR) luotu { instance-in }
    [sign-cert-applied] Allekirjoitusvarmennetta haettu DVV:n verkkoasioinnissa { instance-to }
    [sign-cert-installed] Allekirjoitusvarmenne asennettu ja käyttöönotto vahvistettu liittyvälle organisaatiolle { instance-in }
    [registration-request] Alijärjestelmän rekisteröintipyyntö lähetetty liityntäpalvelimelta { instance-in }
    [sign-cert-registered] Palveluväylän ylläpito hyväksynyt allekirjoitusvarmenteen rekisteröinnin { instance-in }
   *[renewals-scheduled] Varmenteiden uusiminen aikataulutettu
}
months = { $n ->
    [one] { $n } kuukausi
   *[other] { $n } kuukautta
}
months-short = { $n } kk
percent = { $n } %

## Asiakirjojen kenttien ja taulukoiden otsikot

label-name = Nimi
label-official-name = Virallinen nimi
label-member-class = Jäsenluokka
label-business-id = Y-tunnus
label-member-code = Jäsenkoodi
label-provides-services = tarjoaa palveluja
placeholder-ipv4 = paikkamerkkiosoite dokumentaatiokäyttöön varatulta alueelta – korvaa palvelimen julkisella osoitteella
label-address = Osoite
label-role = Rooli
label-name-title = Nimi ja asema
label-email = Sähköposti
label-phone = Puhelin
label-item = Tieto
label-value = Arvo
label-instance-code = Ympäristö (instanssi)
label-fqdn = Palvelimen nimi (FQDN)
label-ipv4 = IPv4-osoite
label-platform = Alusta
label-server-code = Liityntäpalvelimen koodi
label-server-id = Liityntäpalvelimen tunniste
label-subsystem = Alijärjestelmä
label-purpose = Käyttötarkoitus
label-instance = Ympäristö
label-identifier = Tunniste
label-task = Tehtävä
label-responsible = Vastuussa
label-certificate = Varmenne
label-use = Käyttötarkoitus
label-handled-by = Hoitaa tässä järjestelyssä
label-usual-validity = Tavanomainen voimassaolo
label-belongs-to = Kohde
label-applies-or-creates = Hakee tai luo
label-valid-until = Voimassa asti
label-server-fqdn = Liityntäpalvelin (FQDN)
label-principal-member-id = Valtuuttajan jäsentunniste
label-csr-subject = Varmennepyynnön haltijatiedot (Subject DN)
label-permit-number = Käyttölupapäätöksen diaarinumero
label-subject = Varmenteen haltijatiedot (Subject DN)
label-fingerprint = SHA-256-sormenjälki
label-key = Avain
# Avaimen algoritmi ja koko, esim. RSA, 3072 bittiä.
key-size = { $algorithm }, { $bits } bittiä
label-field = Kenttä
label-field-value = Tieto
label-org-name = Organisaation virallinen nimi
label-member-id = Jäsentunniste
label-subsystem-code = Alijärjestelmän koodi
label-subsystem-id = Alijärjestelmän tunniste
label-server-name = Liityntäpalvelimen nimi (FQDN)
label-owner-name = Omistajan virallinen nimi
label-owner-business-id = Omistajan Y-tunnus
label-owner-member-class = Omistajan jäsenluokka
label-next-step = Seuraava vaihe
# Vaihe, joka odottaa toisen osapuolen vaihetta; se on toisen osapuolen tarkistuslistassa.
waits-for = { $side ->
    [owner] odottaa omistajan vaihetta ”{ $step }” (asiakirja ”{ $doc }”)
   *[member] odottaa liittyvän organisaation vaihetta ”{ $step }” (asiakirja ”{ $doc }”)
}
label-holder = Haltija
label-applies-renews = Hakee ja uusii
label-applies = hakee
label-renews = uusii
label-validity = Voimassaolo
label-expires = Vanhenee
label-renewal-starts = Uusiminen alkaa
label-status = Tila
label-server = Liityntäpalvelin
label-self-signed = oletuksena itse allekirjoitettu
label-self-created = itse luotu
label-name-fqdn = Nimi (FQDN)
label-organisation = Organisaatio
label-instances = Ympäristöt
label-member-phases = Liittyvän organisaation vaiheet
label-owner-phases = Omistajan vaiheet
label-progress = Edistyminen
label-agreement = Sopimus
label-documents = Asiakirjat
label-client-tls-certs = TLS-asiakasvarmenteet
label-permit-decision = Käyttölupapäätös
sign-place = Paikka ja aika
sign-signature = Allekirjoitus
sign-name = Nimenselvennys
sign-title = Asema
sign-authority = Allekirjoitusoikeus
unknown = ei tiedossa

## Kielet

lang-autonym = Suomi
lang-name = { $lang ->
    [fi] suomi
    [sv] ruotsi
   *[en] englanti
}
in-lang = { $lang ->
    [fi] suomeksi
    [sv] ruotsiksi
   *[en] englanniksi
}

## PDF: sivupohja ja asiakirjapaketin kansilehti

pdf-page = Sivu
pdf-contents = Sisällys
pdf-packet-title = Liityntäpalvelimen yhteiskäyttö
pdf-packet-subtitle = Asiakirjat
pdf-owner = Liityntäpalvelimen omistaja
pdf-member = Liittyvä organisaatio
pdf-business-id = Y-tunnus
pdf-servers = Liityntäpalvelimet
pdf-subsystems = Alijärjestelmät
pdf-date = Päiväys
pdf-stage = Tila
pdf-stage-value = { $stage ->
    [draft] Luonnos
   *[final] Lopullinen
}

## HTML-sivujen alaviitteet

footnotes = Alaviitteet
footnote-back = Takaisin viittaukseen

## Uusimiskalenteri (renewals.ics)

calendar-name = Varmenteiden uusiminen – { $owner }
calendar-summary = Uusi { $kind }: { $what }, { $instance }
calendar-steps-dvv =
    Varmenne vanhenee { $expires } ({ $id }, { $server }).
    1. Luo uusi avain ja varmennepyyntö (CSR) liityntäpalvelimen hallintakäyttöliittymässä.
    2. Hae varmennetta DVV:n verkkoasioinnissa palvelinomistajan asiakastilillä, liitä CSR ja käyttölupapäätöksen diaarinumero ({ $permit }).
    3. Asenna DVV:n toimittama varmenne liityntäpalvelimelle ja ota se käyttöön.
    4. Varmista, että palveluväylän ylläpito on hyväksynyt varmenteen rekisteröinnin, ja poista vanha varmenne käytöstä.
    Uusiminen kestää vähintään viikon; vanha ja uusi varmenne voivat olla rinnakkain.
calendar-steps-dvv-owner =
    Varmenne vanhenee { $expires } ({ $id }, { $server }).
    1. Luo uusi avain ja varmennepyyntö (CSR) liityntäpalvelimen hallintakäyttöliittymässä.
    2. Hae varmennetta DVV:n verkkoasioinnissa palvelinomistajan asiakastilillä, liitä CSR ja omistajan oman tämän ympäristön käyttölupapäätöksen diaarinumero.
    3. Asenna DVV:n toimittama varmenne liityntäpalvelimelle ja ota se käyttöön.
    4. Varmista, että palveluväylän ylläpito on hyväksynyt varmenteen rekisteröinnin, ja poista vanha varmenne käytöstä.
    Uusiminen kestää vähintään viikon; vanha ja uusi varmenne voivat olla rinnakkain.
calendar-steps-own =
    Varmenne vanhenee { $expires } ({ $id }, { $server }).
    Luo uusi varmenne, vaihda se liityntäpalvelimelle ja tietojärjestelmään sovitulla tavalla ja varmista yhteys ennen vanhan poistamista.

## Sivusto

site-site-name = Yhteiskäyttöinen liityntäpalvelin
site-site-tagline = Suomi.fi-palveluväylän asiakirjat
site-skip = Siirry sisältöön
site-language = Kieli
site-choose-language = Valitse kieli
site-documents-in-language = Asiakirjat suomeksi
site-site-nav = Sivuston navigaatio
site-breadcrumb = Murupolku
site-home = Etusivu
site-all-languages = Kaikki kielet
site-packet-documents = Yhteiset asiakirjat
site-members = Liittyvät organisaatiot
site-member-index = Jäsenluettelo
site-all-members = Kaikki jäsenet
site-member-count = Jäseniä
site-filter-members = Suodata jäseniä
site-filter-hint = Nimellä, Y-tunnuksella tai tunnisteella
site-members-shown = Näkyvissä jäseniä
site-member-documents = Jäsenen asiakirjat
site-documents = Asiakirjat
site-on-this-page = Tällä sivulla
site-files = Tiedostona
site-markdown-file = Markdown
site-pdf-file = PDF
site-docx-file = Word
site-packet-pdf = Koko asiakirjapaketti (PDF)
site-draft = Luonnos
site-draft-notice = Nämä asiakirjat ovat luonnoksia. Tarkista tiedot ennen allekirjoittamista.
site-owner = Palvelimen omistaja
site-business-id = Y-tunnus
site-member-class = Jäsenluokka
site-date = Päiväys
site-place = Paikka
site-environments = Ympäristöt
site-document-language = Asiakirjojen kieli
site-subsystems = Alijärjestelmät
site-progress = Edistyminen
site-phases-done = vaihetta tehty
site-member-side = jäsen
site-owner-side = omistaja
site-servers = Liityntäpalvelimet
site-instance = Ympäristö
site-fqdn = Palvelimen nimi (FQDN)
site-ipv4 = IPv4-osoite
site-platform = Alusta
site-server-id = Liityntäpalvelimen tunniste
site-certificates = Varmenteet
site-certificate = Varmenne
site-holder = Haltija
site-expires = Voimassa
site-renew-from = Uusiminen alkaa
site-status = Tila
site-not-known = ei tiedossa
site-generated-by = Tuotettu ohjelmalla

## Päätteen taulukot (status, renewals)

term-certificate = varmenne
term-instance = ympäristö
term-holder = haltija
term-expires = vanhenee
term-days = päiviä
term-action = mitä tehdä
term-applies = hakee
term-renew-from = uusiminen alkaa
term-status = tila
term-action-expired = vanhentunut: uusi heti ja vaihda palvelimelle
term-action-dvv = uusi avain ja CSR hallintakäyttöliittymässä, hae DVV:n verkkoasioinnissa, asenna, rekisteröi
term-action-own = luo uusi varmenne ja vaihda se sovitulla tavalla
term-none-expiring = Yksikään varmenne ei vanhene { $days } päivän kuluessa päivästä { $today }.
term-expiring = Vanhenee { $days } päivän kuluessa päivästä { $today }, ensimmäinen ensin:
term-all-certificates = Kaikki järjestelyn tarvitsemat varmenteet { $today }:
term-not-known = ei tiedossa
