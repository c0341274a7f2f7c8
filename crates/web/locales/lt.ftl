# tiski agent workspace: Lithuanian.

skip-to-content = Pereiti prie turinio
nav-label = Pagrindinis meniu
nav-sections = Skyriai
nav-open-menu = Atverti meniu
nav-inbox = Gautieji
nav-customers = Klientai
nav-macros = Makrokomandos
nav-settings = Nustatymai
nav-admin = Administravimas
search-customers = Ieškoti klientų
search-customers-hint = Vardas, el. paštas, telefonas ar organizacija
sign-out = Atsijungti
live-title = Tiesioginiai atnaujinimai
live-connecting = Jungiamasi…
live-on = Tiesiogiai
live-off = Nėra ryšio, bandoma iš naujo
close = Uždaryti
save = Išsaugoti
saved = Išsaugota.
edit = Redaguoti
delete = Ištrinti
nothing-yet = Čia kol kas nieko nėra.
load-more = Rodyti daugiau

shortcuts-title = Spartieji klavišai
shortcut-go-inbox = Eiti į gautuosius
shortcut-go-customers = Eiti į klientus
shortcut-search = Ieškoti
shortcut-move = Judėti sąrašu žemyn ir aukštyn
shortcut-open = Atverti užklausą
shortcut-select = Pažymėti užklausą
shortcut-reply = Rašyti viešą atsakymą
shortcut-note = Rašyti vidinę pastabą
shortcut-assign-me = Priskirti man
shortcut-next = Kita šio rodinio užklausa
shortcut-back = Grįžti į sąrašą
shortcut-send = Siųsti
shortcut-help = Rodyti šią pagalbą

login-title = Prisijungti
login-intro = Prisijunkite prie savo komandos darbo erdvės.
login-email = El. paštas
login-password = Slaptažodis
login-submit = Prisijungti
login-error-missing = Įveskite el. pašto adresą ir slaptažodį.
login-error-wrong = Neteisingas el. pašto adresas arba slaptažodis.
login-error-rate = Per daug bandymų prisijungti. Palaukite kelias minutes ir bandykite dar kartą.

error-title = Kažkas negerai
error-csrf = Ši forma nebegalioja arba atsiųsta ne iš šio puslapio. Įkelkite puslapį iš naujo ir bandykite dar kartą.
error-signin = Prisijunkite iš naujo, kad galėtumėte tęsti.
error-forbidden = Jūsų vaidmuo to neleidžia.
error-not-found = Tai nerasta arba jums neleidžiama to matyti.
error-invalid-field = Patikrinkite šį lauką: { $field }.
error-password-short = Slaptažodį turi sudaryti bent 10 simbolių.
error-password-current = Dabartinis slaptažodis neteisingas.
error-conflict = Šis pakeitimas dabartinėje būsenoje negalimas.
error-storage = Duomenų saugykla neatsakė. Niekas nepakeista; bandykite dar kartą.
error-value = Ši reikšmė nėra tarp pasirinkimų.

views-label = Rodiniai
view-mine = Mano, atviros
view-unassigned = Nepriskirtos mano komandose
view-all = Visos atviros mano komandose
view-pending = Laukiama kliento
view-solved = Neseniai išspręstos
view-new = Naujas rodinys
view-name = Rodinio pavadinimas
view-shared = Bendrinti su visais
view-delete = Ištrinti rodinį
filter-any = Bet kuris
filter-assignee-me = Aš
filter-assignee-none = Niekas

sort-label = Rikiuoti
sort-updated-at = Paskutinis pakeitimas
sort-priority = Prioritetas
sort-created-at = Amžius, seniausios pirmos

col-subject = Tema
col-status = Būsena
col-priority = Prioritetas
col-assignee = Atsakingas
col-team = Komanda
col-updated = Atnaujinta
col-channel = Kanalas
col-language = Kalba
col-created = Sukurta

inbox-empty = Užklausų nėra. Puikus darbas!
inbox-new-activity = Yra naujienų: atnaujinkite sąrašą
select-all = Pažymėti visas šio puslapio užklausas
select-ticket = Pažymėti užklausą { $subject }
bulk-label = Pažymėtoms užklausoms:
bulk-assign = Priskirti
bulk-assign-me = Man
bulk-unassign = Niekam
bulk-status = Nustatyti būseną
bulk-tag = Pridėti žymą
bulk-tag-placeholder = žyma
bulk-none-selected = Pirmiausia pažymėkite bent vieną užklausą.
bulk-done = { $n ->
    [one] Pakeista { $shown } užklausa.
    [few] Pakeistos { $shown } užklausos.
   *[other] Pakeista užklausų: { $shown }.
}
bulk-partly = Pakeista: { $done }; nepavyko pakeisti: { $failed }.

age-now = dabar
age-minutes = { $n } min.
age-hours = { $n } val.
age-days = { $n ->
    [one] { $n } diena
    [few] { $n } dienos
   *[other] { $n } dienų
}

status-new = Nauja
status-open = Atvira
status-pending = Laukiama
status-on-hold = Sustabdyta
status-solved = Išspręsta
status-closed = Uždaryta
priority-low = Žemas
priority-normal = Įprastas
priority-high = Aukštas
priority-urgent = Skubus
channel-email = El. paštas
channel-chat = Pokalbis
channel-phone = Telefonas
channel-web = Interneto forma
channel-desk = Aptarnavimo vieta
channel-fax = Faksas
channel-edi = EDI
channel-api = API
role-agent = Konsultantas
role-supervisor = Komandos vadovas
role-admin = Administratorius

back-to-inbox = Grįžti į sąrašą
next-ticket = Kita užklausa
timeline-label = Pokalbis ir istorija
message-note = Vidinė pastaba
message-reply = Atsakymas
attachments = Priedai
attachment-unnamed = Priedas { $n }
size-bytes = { $n } B
size-kib = { $n } KiB
size-mib = { $n } MiB
delivery-queued = Eilėje
delivery-sent = Išsiųsta
delivery-failed = Nepristatyta
delivery-bounced = Grąžinta
actor-system = tiski
actor-staff = Kolega
event-created = { $actor } atvėrė užklausą
event-status = { $actor } nustatė būseną: { $to }
event-priority = { $actor } nustatė prioritetą: { $to }
event-team = { $actor } perkėlė užklausą komandai { $to }
event-team-none = { $actor } pašalino užklausą iš komandos
event-assigned = { $actor } priskyrė užklausą: { $to }
event-unassigned = { $actor } panaikino priskyrimą
event-tags-added = { $actor } pridėjo žymas { $tags }
event-tags-removed = { $actor } pašalino žymas { $tags }
event-subject = { $actor } pakeitė temą į „{ $to }“
event-email-sent = Laiškas perduotas pašto serveriui
event-email-failed = Laiško išsiųsti nepavyko
event-email-bounced = Laiškas grąžintas
ticket-closed = Ši užklausa uždaryta. Nauja kliento žinutė atvers tęstinę užklausą.

reply-kind = Žinutės rūšis
reply-public = Viešas atsakymas
reply-note = Vidinė pastaba
reply-body = Žinutė
reply-placeholder = Rašykite atsakymą… Įveskite /, kad įterptumėte makrokomandą.
reply-then = Tada nustatyti būseną
reply-status-keep = Palikti kaip yra
reply-send = Siųsti atsakymą
note-send = Pridėti pastabą
reply-sent = Atsakymas išsiųstas.
note-sent = Pastaba pridėta.
reply-empty = Pirmiausia ką nors parašykite.
macros-search = Įterpti makrokomandą…
macros-title = Makrokomandos
macros-none = Nė viena makrokomanda netinka.
macro-will = Išsiuntus:

props-title = Užklausa
assign-me = Priskirti man
assignee-none = Nepriskirta
team-none = Be komandos
tags = Žymos
tag-add = Pridėti žymą
tag-remove = Pašalinti žymą { $tag }
presence-viewing = { $names } taip pat turi atvertą šią užklausą.
presence-typing = { $names } šiuo metu rašo atsakymą.

customer-name = Vardas
customer-contact = Kontaktas
customer-email = El. paštas
customer-emails = El. pašto adresai (po vieną eilutėje)
customer-phone = Telefonas
customer-phones = Telefono numeriai (po vieną eilutėje)
customer-local-time = Vietos laikas
customer-time-zone = Laiko juosta
customer-organization = Organizacija
customer-notes = Pastabos
customer-other-tickets = Kitos užklausos
customer-details = Informacija
customer-tickets = Užklausos
customer-no-tickets = Nėra užklausų, kurias galite matyti.
customers-empty = Klientų nerasta.

settings-language = Kalba
settings-language-label = Darbo erdvės kalba
language-changed = Kalba pakeista.
settings-password = Slaptažodis
password-current = Dabartinis slaptažodis
password-new = Naujas slaptažodis
password-confirm = Pakartokite naują slaptažodį
password-rule = Bent 10 simbolių.
password-change = Keisti slaptažodį
password-changed = Slaptažodis pakeistas. Kiti jūsų seansai baigti.
password-mismatch = Nauji slaptažodžiai nesutampa.

macros-intro = Paruošti atsakymai su vietos rezervavimo žymomis ir pakeitimai, atliekami išsiunčiant atsakymą. Atsakymo lauke įveskite /, kad rastumėte makrokomandą.
macro-new = Nauja makrokomanda
macro-title = Pavadinimas
macro-body = Tekstas
macro-placeholders = Vietos rezervavimo žymos:
macro-set-status = Nustatyti būseną
macro-status-unchanged = Nekeisti
macro-add-tags = Pridėti žymas
macro-set-team = Perkelti komandai
macro-team-unchanged = Nekeisti
macro-shared = Bendrinama su visais
macro-shared-label = Bendra
macro-personal-label = Asmeninė
macro-effect-status = nustato būseną { $status }
macro-effect-tags = prideda žymas { $tags }
macro-effect-team = perkelia užklausą komandai { $team }

admin-agents = Konsultantai
admin-teams = Komandos
admin-mailboxes = Pašto dėžutės
admin-webhooks = Webhook'ai
admin-tokens = API raktai
agent-role = Vaidmuo
agent-active = Aktyvus
agent-languages = Mokamos kalbos
agent-invite = Pridėti konsultantą
agent-initial-password = Pirmasis slaptažodis
team-members = Nariai
team-new = Pridėti komandą
webhook-events = Įvykių tipai
webhook-new = Pridėti webhook'ą
webhook-secret-once = Parašo paslaptis, rodoma tik dabar:
mailbox-new = Pridėti pašto dėžutę
mailbox-hint = IMAP ir SMTP nustatymai keičiami per API.
mailbox-signature = Parašas
mailbox-auto-ack = Automatiškai patvirtinti naujas užklausas
token-label = Pavadinimas
token-user = Veikia kaip
token-new = Išduoti raktą
token-once = Raktas, rodomas tik dabar:
token-revoke = Atšaukti
