# Word catalogue (English): every word the tool shows outside the documents' prose.
# The format is Project Fluent: https://projectfluent.org/fluent/guide/
# To change a message, write a message of the same name in en/words.ftl of the --templates folder.

## Documents

doc-title = { $doc ->
    [data-processing] Data processing agreement
    [agreement] Agreement on the shared use of a security server
    [authorisation] Authorisation to apply for certificates
    [permit-fields] User permit application details
    [member-checklist] Joining organisation's checklist
    [owner-checklist] Owner's checklist
    [certificates] Certificate register
   *[overview] Overview of the shared security server
}
doc-short = { $doc ->
    [data-processing] Data processing
    [agreement] Agreement
    [authorisation] Authorisation
    [permit-fields] User permit fields
    [member-checklist] Member's checklist
    [owner-checklist] Owner's checklist
    [certificates] Certificate register
   *[overview] Overview
}
draft-mark = DRAFT
stage = { $stage ->
    [draft] draft
   *[final] final
}

## Data Exchange Layer terms

cert-kind = { $kind ->
    [authentication] authentication certificate
    [signing] signing certificate
    [internal-tls] internal TLS certificate
   *[client-tls] TLS client certificate
}
cert-status = { $status ->
    [ok] valid
    [renew-soon] renew now
    [expired] expired
   *[unknown] not known
}
party = { $party ->
    [owner] owner
   *[member] joining organisation
}
platform = { $platform ->
    [ubuntu] Ubuntu host
    [rhel] RHEL host
   *[sidecar] Security Server Sidecar container
}
platform-short = { $platform ->
    [ubuntu] Ubuntu
    [rhel] RHEL
   *[sidecar] Sidecar container
}
role = { $role ->
    [technical] technical contact
    [administrative] administrative contact
   *[signatory] signatory
}
member-class = { $class ->
    [GOV] government
    [MUN] municipalities
    [COM] companies
    [EDU] education
    [ORG] non-profit organisations
   *[PRI] private persons
}
instance = { $instance ->
    [FI] production environment (FI)
    [FI-TEST] test environment (FI-TEST)
   *[FI-DEV] development environment (FI-DEV)
}
# With the article, after "in" ("in the test environment (FI-TEST)").
instance-in = the { instance }
# With the article, after "to" and "for".
instance-to = the { instance }
phase = { $phase ->
    [agreement] Agreement on sharing the security server made
    [policies] Server policies, such as who creates the TLS client certificates, agreed
    [server-details] Security server's FQDN, IPv4 address and the owner's member class handed over to the joining organisation
    [authorisation] Authorisation to apply for certificates given to the owner
    [authorisation-received] Signed authorisation received from the joining organisation
    [permit] User permit application for the { instance } sent
    [permit-reference] Reference number of the user permit decision for the { instance } given to the owner
    [client-tls] TLS certificates exchanged and HTTPS between the information systems and the security server working in the { instance }
    [client-tls-by-member] TLS client certificates created and their public parts handed to the owner in the { instance }
    [client-tls-by-owner] TLS client certificates created and handed to the joining organisation in the { instance }
    [sign-cert-confirmed] The owner has confirmed that the signing certificate is in use in the { instance }
    [central-registration] The Maintenance team has added the organisation and subsystem to the central server in the { instance }
    [add-subsystem] Subsystem added to the security server in the { instance }
    [sign-key] Sign key and certificate signing request (CSR) created in the { instance }
    [sign-cert-applied] Signing certificate for the { instance } applied for in DVV's e-services
    [sign-cert-installed] Signing certificate installed and confirmed to the joining organisation in the { instance }
    [registration-request] Subsystem's registration request sent from the security server in the { instance }
    [sign-cert-registered] The Maintenance team has approved the registration of the signing certificate in the { instance }
   *[renewals-scheduled] Certificate renewals scheduled
}
months = { $n ->
    [one] { $n } month
   *[other] { $n } months
}
months-short = { months }
percent = { $n }%

## Field and table labels of the documents

label-name = Name
label-official-name = Official name
label-member-class = Member class
label-business-id = Business ID
label-member-code = Member code
label-provides-services = provides services
placeholder-ipv4 = placeholder address from a documentation range – replace it with the server's public address
label-address = Address
label-role = Role
label-name-title = Name and title
label-email = E-mail
label-phone = Phone
label-item = Item
label-value = Value
label-instance-code = Environment (instance)
label-fqdn = Server name (FQDN)
label-ipv4 = IPv4 address
label-platform = Platform
label-server-code = Security server code
label-server-id = Security server identifier
label-subsystem = Subsystem
label-purpose = Purpose
label-instance = Environment
label-identifier = Identifier
label-task = Task
label-responsible = Responsible
label-certificate = Certificate
label-use = Purpose
label-handled-by = Handled in this arrangement by
label-usual-validity = Usual validity
label-belongs-to = Belongs to
label-applies-or-creates = Applied for or created by
label-valid-until = Valid until
label-server-fqdn = Security server (FQDN)
label-principal-member-id = Principal's member identifier
label-csr-subject = Subject of the certificate signing request
label-permit-number = Reference number of the user permit decision
label-subject = Subject
label-fingerprint = SHA-256 fingerprint
label-key = Key
# A key algorithm with its size, e.g. RSA, 3072 bits.
key-size = { $algorithm }, { $bits } bits
label-field = Field
label-field-value = Value
label-org-name = Organisation's official name
label-member-id = Member identifier
label-subsystem-code = Subsystem code
label-subsystem-id = Subsystem identifier
label-server-name = Security server name (FQDN)
label-owner-name = Owner's official name
label-owner-business-id = Owner's Business ID
label-owner-member-class = Owner's member class
label-next-step = Next step
# A step that waits for a step of the other side, which is in the other side's checklist.
waits-for = { $side ->
    [owner] waits for the owner's step “{ $step }” (document “{ $doc }”)
   *[member] waits for the joining organisation's step “{ $step }” (document “{ $doc }”)
}
label-holder = Holder
label-applies-renews = Applies and renews
label-applies = applies
label-renews = renews
label-validity = Validity
label-expires = Expires
label-renewal-starts = Renewal starts
label-status = Status
label-server = Security server
label-self-signed = self-signed by default
label-self-created = self-created
label-name-fqdn = Name (FQDN)
label-organisation = Organisation
label-instances = Environments
label-member-phases = Joining organisation's phases
label-owner-phases = Owner's phases
label-progress = Progress
label-agreement = Agreement
label-documents = Documents
label-client-tls-certs = TLS client certificates
label-permit-decision = User permit decision
sign-place = Place and date
sign-signature = Signature
sign-name = Name
sign-title = Title
sign-authority = Authority to sign
unknown = not known

## Languages

lang-autonym = English
lang-name = { $lang ->
    [fi] Finnish
    [sv] Swedish
   *[en] English
}
in-lang = { $lang ->
    [fi] in Finnish
    [sv] in Swedish
   *[en] in English
}

## PDF: the page design and the packet's cover

pdf-page = Page
pdf-contents = Contents
pdf-packet-title = Shared use of a security server
pdf-packet-subtitle = Documents
pdf-owner = Owner of the security server
pdf-member = Joining organisation
pdf-business-id = Business ID
pdf-servers = Security servers
pdf-subsystems = Subsystems
pdf-date = Date
pdf-stage = Status
pdf-stage-value = { $stage ->
    [draft] Draft
   *[final] Final
}

## Footnotes on the HTML pages

footnotes = Footnotes
footnote-back = Back to reference

## The renewal calendar (renewals.ics)

calendar-name = Certificate renewals – { $owner }
calendar-summary = Renew the { $kind }: { $what }, { $instance }
calendar-steps-dvv =
    The certificate expires on { $expires } ({ $id }, { $server }).
    1. Create a new key and certificate signing request (CSR) in the security server's admin UI.
    2. Apply for the certificate in DVV's e-services with the server owner's customer account, attaching the CSR and the user permit decision reference ({ $permit }).
    3. Install the certificate that DVV delivers on the security server and take it into use.
    4. Check that the Maintenance team has approved the certificate's registration, then retire the old certificate.
    Renewal takes at least a week; the old and the new certificate can coexist.
calendar-steps-dvv-owner =
    The certificate expires on { $expires } ({ $id }, { $server }).
    1. Create a new key and certificate signing request (CSR) in the security server's admin UI.
    2. Apply for the certificate in DVV's e-services with the server owner's customer account, attaching the CSR and the reference number of the owner's own user permit decision for this environment.
    3. Install the certificate that DVV delivers on the security server and take it into use.
    4. Check that the Maintenance team has approved the certificate's registration, then retire the old certificate.
    Renewal takes at least a week; the old and the new certificate can coexist.
calendar-steps-own =
    The certificate expires on { $expires } ({ $id }, { $server }).
    Create a new certificate, exchange it on the security server and in the information system as agreed, and test the connection before removing the old one.

## The site

site-site-name = Shared security server
site-site-tagline = Suomi.fi Data Exchange Layer documents
site-skip = Skip to content
site-language = Language
site-choose-language = Choose a language
site-documents-in-language = The documents in English
site-site-nav = Site navigation
site-breadcrumb = Breadcrumb
site-home = Home
site-all-languages = All languages
site-packet-documents = Shared documents
site-members = Joining organisations
site-member-index = Member index
site-all-members = All members
site-member-count = Members
site-filter-members = Filter members
site-filter-hint = By name, Business ID or id
site-members-shown = Members shown
site-member-documents = This member's documents
site-documents = Documents
site-on-this-page = On this page
site-files = As a file
site-markdown-file = Markdown
site-pdf-file = PDF
site-docx-file = Word
site-packet-pdf = The whole packet (PDF)
site-draft = Draft
site-draft-notice = These documents are drafts. Check the details before signing.
site-owner = Owner of the servers
site-business-id = Business ID
site-member-class = Member class
site-date = Date
site-place = Place
site-environments = Environments
site-document-language = Document language
site-subsystems = Subsystems
site-progress = Progress
site-phases-done = phases done
site-member-side = member
site-owner-side = owner
site-servers = Security servers
site-instance = Environment
site-fqdn = Host name (FQDN)
site-ipv4 = IPv4 address
site-platform = Platform
site-server-id = Server identifier
site-certificates = Certificates
site-certificate = Certificate
site-holder = Holder
site-expires = Expires
site-renew-from = Renewal starts
site-status = Status
site-not-known = not known
site-generated-by = Made with

## The terminal tables (status, renewals)

term-certificate = certificate
term-instance = instance
term-holder = holder
term-expires = expires
term-days = days
term-action = what to do
term-applies = applies
term-renew-from = renew from
term-status = status
term-action-expired = expired: renew now and replace it on the server
term-action-dvv = new key and CSR in the admin UI, apply in DVV's e-services, install, register
term-action-own = create a new certificate and exchange it as agreed
term-none-expiring = No certificate expires within { $days } days of { $today }.
term-expiring = Expiring within { $days } days of { $today }, soonest first:
term-all-certificates = All certificates the arrangement needs, as of { $today }:
term-not-known = unknown
