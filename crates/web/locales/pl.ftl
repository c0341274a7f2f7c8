# tiski agent workspace: Polish.

skip-to-content = Przejdź do treści
nav-label = Nawigacja główna
nav-sections = Sekcje
nav-open-menu = Otwórz menu
nav-inbox = Skrzynka
nav-customers = Klienci
nav-macros = Makra
nav-settings = Ustawienia
nav-admin = Administracja
search-customers = Szukaj klientów
search-customers-hint = Imię i nazwisko, e-mail, telefon lub organizacja
sign-out = Wyloguj się
live-title = Aktualizacje na żywo
live-connecting = Łączenie…
live-on = Na żywo
live-off = Brak połączenia, ponawiam
close = Zamknij
save = Zapisz
saved = Zapisano.
edit = Edytuj
delete = Usuń
nothing-yet = Na razie nic tu nie ma.
load-more = Pokaż więcej

shortcuts-title = Skróty klawiszowe
shortcut-go-inbox = Przejdź do skrzynki
shortcut-go-customers = Przejdź do klientów
shortcut-search = Szukaj
shortcut-move = W dół i w górę listy
shortcut-open = Otwórz zgłoszenie
shortcut-select = Zaznacz zgłoszenie
shortcut-reply = Napisz odpowiedź publiczną
shortcut-note = Napisz notatkę wewnętrzną
shortcut-assign-me = Przypisz do mnie
shortcut-next = Następne zgłoszenie w tym widoku
shortcut-back = Wróć do listy
shortcut-send = Wyślij
shortcut-help = Pokaż tę pomoc

login-title = Zaloguj się
login-intro = Zaloguj się do przestrzeni roboczej swojego zespołu.
login-email = E-mail
login-password = Hasło
login-submit = Zaloguj się
login-error-missing = Podaj adres e-mail i hasło.
login-error-wrong = Adres e-mail lub hasło są nieprawidłowe.
login-error-rate = Zbyt wiele prób logowania. Odczekaj kilka minut i spróbuj ponownie.

error-title = Coś jest nie tak
error-csrf = Ten formularz wygasł lub nie pochodzi z tej strony. Odśwież stronę i spróbuj ponownie.
error-signin = Zaloguj się ponownie, aby kontynuować.
error-forbidden = Twoja rola na to nie pozwala.
error-not-found = Nie znaleziono tego albo nie masz do tego dostępu.
error-invalid-field = Sprawdź to pole: { $field }.
error-password-short = Hasło musi mieć co najmniej 10 znaków.
error-password-current = Obecne hasło jest nieprawidłowe.
error-conflict = Ta zmiana nie jest możliwa w obecnym stanie.
error-storage = Baza danych nie odpowiedziała. Nic nie zostało zmienione; spróbuj ponownie.
error-value = Ta wartość nie należy do dostępnych opcji.

views-label = Widoki
view-mine = Moje, otwarte
view-unassigned = Nieprzypisane w moich zespołach
view-all = Wszystkie otwarte w moich zespołach
view-pending = Oczekujące
view-solved = Niedawno rozwiązane
view-new = Nowy widok
view-name = Nazwa widoku
view-shared = Udostępnij wszystkim
view-delete = Usuń widok
filter-any = Dowolny
filter-assignee-me = Ja
filter-assignee-none = Nikt

sort-label = Sortuj
sort-updated-at = Ostatnia zmiana
sort-priority = Priorytet
sort-created-at = Wiek, najstarsze najpierw

col-subject = Temat
col-status = Status
col-priority = Priorytet
col-assignee = Przypisany
col-team = Zespół
col-updated = Zmieniono
col-channel = Kanał
col-language = Język
col-created = Utworzono

inbox-empty = Brak zgłoszeń. Dobra robota!
inbox-new-activity = Nowa aktywność: odśwież listę
select-all = Zaznacz wszystkie zgłoszenia na tej stronie
select-ticket = Zaznacz zgłoszenie { $subject }
bulk-label = Dla zaznaczonych zgłoszeń:
bulk-assign = Przypisz
bulk-assign-me = Do mnie
bulk-unassign = Do nikogo
bulk-status = Ustaw status
bulk-tag = Dodaj tag
bulk-tag-placeholder = tag
bulk-none-selected = Najpierw zaznacz co najmniej jedno zgłoszenie.
bulk-done = { $n ->
    [one] Zmieniono jedno zgłoszenie.
    [few] Zmieniono { $shown } zgłoszenia.
    [many] Zmieniono { $shown } zgłoszeń.
   *[other] Zmieniono { $shown } zgłoszenia.
}
bulk-partly = Zmieniono: { $done }; nie udało się zmienić: { $failed }.

age-now = teraz
age-minutes = { $n } min
age-hours = { $n } godz.
age-days = { $n ->
    [one] 1 dzień
   *[other] { $n } dni
}

status-new = Nowe
status-open = Otwarte
status-pending = Oczekujące
status-on-hold = Wstrzymane
status-solved = Rozwiązane
status-closed = Zamknięte
priority-low = Niski
priority-normal = Normalny
priority-high = Wysoki
priority-urgent = Pilny
channel-email = E-mail
channel-chat = Czat
channel-phone = Telefon
channel-web = Formularz WWW
channel-desk = Punkt obsługi
channel-fax = Faks
channel-edi = EDI
channel-api = API
role-agent = Konsultant
role-supervisor = Kierownik zespołu
role-admin = Administrator

back-to-inbox = Wróć do listy
next-ticket = Następne zgłoszenie
timeline-label = Rozmowa i historia
message-note = Notatka wewnętrzna
message-reply = Odpowiedź
attachments = Załączniki
attachment-unnamed = Załącznik { $n }
size-bytes = { $n } B
size-kib = { $n } KiB
size-mib = { $n } MiB
delivery-queued = W kolejce
delivery-sent = Wysłano
delivery-failed = Nie dostarczono
delivery-bounced = Odrzucono
actor-system = tiski
actor-staff = Współpracownik
event-created = { $actor } otworzył(a) zgłoszenie
event-status = { $actor } ustawił(a) status: { $to }
event-priority = { $actor } ustawił(a) priorytet: { $to }
event-team = { $actor } przeniósł(-osła) zgłoszenie do zespołu { $to }
event-team-none = { $actor } usunął(-ęła) zgłoszenie z zespołu
event-assigned = { $actor } przypisał(a) zgłoszenie: { $to }
event-unassigned = { $actor } usunął(-ęła) przypisanie
event-tags-added = { $actor } dodał(a) tagi { $tags }
event-tags-removed = { $actor } usunął(-ęła) tagi { $tags }
event-subject = { $actor } zmienił(a) temat na „{ $to }”
event-email-sent = Wiadomość przekazano do serwera poczty
event-email-failed = Nie udało się wysłać wiadomości
event-email-bounced = Wiadomość została odrzucona
ticket-closed = To zgłoszenie jest zamknięte. Nowa wiadomość od klienta otworzy zgłoszenie uzupełniające.

reply-kind = Rodzaj wiadomości
reply-public = Odpowiedź publiczna
reply-note = Notatka wewnętrzna
reply-body = Wiadomość
reply-placeholder = Napisz odpowiedź… Wpisz /, aby wstawić makro.
reply-then = Następnie ustaw status
reply-status-keep = Bez zmian
reply-send = Wyślij odpowiedź
note-send = Dodaj notatkę
reply-sent = Odpowiedź wysłana.
note-sent = Notatka dodana.
reply-empty = Najpierw coś napisz.
macros-search = Wstaw makro…
macros-title = Makra
macros-none = Żadne makro nie pasuje.
macro-will = Po wysłaniu:

props-title = Zgłoszenie
assign-me = Przypisz do mnie
assignee-none = Nieprzypisane
team-none = Bez zespołu
tags = Tagi
tag-add = Dodaj tag
tag-remove = Usuń tag { $tag }
presence-viewing = { $names } także ma otwarte to zgłoszenie.
presence-typing = { $names } właśnie pisze odpowiedź.

customer-name = Nazwa
customer-contact = Kontakt
customer-email = E-mail
customer-emails = Adresy e-mail (jeden w wierszu)
customer-phone = Telefon
customer-phones = Numery telefonów (jeden w wierszu)
customer-local-time = Czas lokalny
customer-time-zone = Strefa czasowa
customer-organization = Organizacja
customer-notes = Notatki
customer-other-tickets = Inne zgłoszenia
customer-details = Szczegóły
customer-tickets = Zgłoszenia
customer-no-tickets = Brak zgłoszeń, które możesz zobaczyć.
customers-empty = Nie znaleziono klientów.

settings-language = Język
settings-language-label = Język przestrzeni roboczej
language-changed = Język został zmieniony.
settings-password = Hasło
password-current = Obecne hasło
password-new = Nowe hasło
password-confirm = Powtórz nowe hasło
password-rule = Co najmniej 10 znaków.
password-change = Zmień hasło
password-changed = Hasło zostało zmienione. Pozostałe sesje zostały wylogowane.
password-mismatch = Nowe hasła nie są takie same.

macros-intro = Gotowe odpowiedzi z polami do wypełnienia oraz zmiany wykonywane przy wysyłaniu. Wpisz / w polu odpowiedzi, aby znaleźć makro.
macro-new = Nowe makro
macro-title = Tytuł
macro-body = Treść
macro-placeholders = Pola do wypełnienia:
macro-set-status = Ustaw status
macro-status-unchanged = Bez zmian
macro-add-tags = Dodaj tagi
macro-set-team = Przenieś do zespołu
macro-team-unchanged = Bez zmian
macro-shared = Udostępnione wszystkim
macro-shared-label = Wspólne
macro-personal-label = Osobiste
macro-effect-status = ustawia status { $status }
macro-effect-tags = dodaje tagi { $tags }
macro-effect-team = przenosi zgłoszenie do zespołu { $team }

admin-agents = Konsultanci
admin-teams = Zespoły
admin-mailboxes = Skrzynki pocztowe
admin-webhooks = Webhooki
admin-tokens = Tokeny API
agent-role = Rola
agent-active = Aktywny
agent-languages = Znane języki
agent-invite = Dodaj konsultanta
agent-initial-password = Pierwsze hasło
team-members = Członkowie
team-new = Dodaj zespół
webhook-events = Typy zdarzeń
webhook-new = Dodaj webhook
webhook-secret-once = Sekret podpisu, widoczny tylko teraz:
mailbox-new = Dodaj skrzynkę
mailbox-hint = Ustawienia IMAP i SMTP konfiguruje się przez API.
mailbox-signature = Podpis
mailbox-auto-ack = Automatycznie potwierdzaj nowe zgłoszenia
token-label = Etykieta
token-user = Działa jako
token-new = Wydaj token
token-once = Token, widoczny tylko teraz:
token-revoke = Unieważnij
