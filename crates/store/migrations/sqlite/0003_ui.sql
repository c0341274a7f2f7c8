-- The agent workspace: browser sessions, the UI language per user, macros (canned responses)
-- and saved inbox views. Times are microseconds since the Unix epoch; JSON is text.

ALTER TABLE users ADD COLUMN ui_locale TEXT;

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    user_agent TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id, id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE macros (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    language TEXT,
    set_status TEXT,
    add_tags TEXT NOT NULL DEFAULT '[]',
    set_team_id INTEGER REFERENCES teams(id),
    owner_id INTEGER REFERENCES users(id),
    search_text TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX macros_owner ON macros (owner_id, id);

CREATE TABLE saved_views (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    filters TEXT NOT NULL,
    owner_id INTEGER REFERENCES users(id),
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX saved_views_owner ON saved_views (owner_id, id);

-- Starter macros, shared with everyone: they greet the customer by name and apologise, in the
-- five languages tiski ships with. Admins may change or delete them.
INSERT INTO macros (title, body, language, set_status, add_tags, set_team_id, owner_id, search_text, created_by, created_at, updated_at) VALUES
('Apology for the trouble', 'Hello {{customer.first_name}},

Thank you for writing to us, and I am truly sorry for the trouble this has caused you. I understand how frustrating it is, and I have taken your case (ticket #{{ticket.id}}) in hand personally.

I will get back to you as soon as I know more.

Best regards,
{{agent.name}}', 'en', NULL, '["apology"]', NULL, NULL, 'apology for the trouble hello {{customer.first_name}},

thank you for writing to us, and i am truly sorry for the trouble this has caused you. i understand how frustrating it is, and i have taken your case (ticket #{{ticket.id}}) in hand personally.

i will get back to you as soon as i know more.

best regards,
{{agent.name}}', NULL, 0, 0),
('Solved, with thanks', 'Hello {{customer.first_name}},

Thank you for your patience, and sorry again that this took time. Your request #{{ticket.id}} is now resolved. If anything is still not right, simply reply to this message and I will carry on from here.

Best regards,
{{agent.name}}', 'en', 'solved', '[]', NULL, NULL, 'solved, with thanks hello {{customer.first_name}},

thank you for your patience, and sorry again that this took time. your request #{{ticket.id}} is now resolved. if anything is still not right, simply reply to this message and i will carry on from here.

best regards,
{{agent.name}}', NULL, 0, 0),
('Pahoittelut hankaluudesta', 'Hei {{customer.first_name}},

kiitos viestistäsi, ja olen todella pahoillani tästä hankaluudesta. Ymmärrän, kuinka turhauttavaa tämä on, ja hoidan asiasi (tiketti #{{ticket.id}}) henkilökohtaisesti.

Palaan asiaan heti, kun tiedän enemmän.

Ystävällisin terveisin
{{agent.name}}', 'fi', NULL, '["apology"]', NULL, NULL, 'pahoittelut hankaluudesta hei {{customer.first_name}},

kiitos viestistäsi, ja olen todella pahoillani tästä hankaluudesta. ymmärrän, kuinka turhauttavaa tämä on, ja hoidan asiasi (tiketti #{{ticket.id}}) henkilökohtaisesti.

palaan asiaan heti, kun tiedän enemmän.

ystävällisin terveisin
{{agent.name}}', NULL, 0, 0),
('Ratkaistu, kiitos', 'Hei {{customer.first_name}},

kiitos kärsivällisyydestäsi, ja pahoittelen vielä, että asian hoitaminen kesti. Pyyntösi #{{ticket.id}} on nyt ratkaistu. Jos jokin on yhä pielessä, vastaa tähän viestiin, niin jatkan siitä.

Ystävällisin terveisin
{{agent.name}}', 'fi', 'solved', '[]', NULL, NULL, 'ratkaistu, kiitos hei {{customer.first_name}},

kiitos kärsivällisyydestäsi, ja pahoittelen vielä, että asian hoitaminen kesti. pyyntösi #{{ticket.id}} on nyt ratkaistu. jos jokin on yhä pielessä, vastaa tähän viestiin, niin jatkan siitä.

ystävällisin terveisin
{{agent.name}}', NULL, 0, 0),
('Przeprosiny za kłopot', 'Dzień dobry {{customer.first_name}},

dziękuję za wiadomość i bardzo przepraszam za kłopot, jaki to sprawiło. Rozumiem, jak bardzo jest to frustrujące, i osobiście zajmuję się Twoją sprawą (zgłoszenie nr {{ticket.id}}).

Odezwę się, gdy tylko będę wiedzieć więcej.

Z pozdrowieniami
{{agent.name}}', 'pl', NULL, '["apology"]', NULL, NULL, 'przeprosiny za kłopot dzień dobry {{customer.first_name}},

dziękuję za wiadomość i bardzo przepraszam za kłopot, jaki to sprawiło. rozumiem, jak bardzo jest to frustrujące, i osobiście zajmuję się twoją sprawą (zgłoszenie nr {{ticket.id}}).

odezwę się, gdy tylko będę wiedzieć więcej.

z pozdrowieniami
{{agent.name}}', NULL, 0, 0),
('Rozwiązane, dziękujemy', 'Dzień dobry {{customer.first_name}},

dziękuję za cierpliwość i jeszcze raz przepraszam, że trwało to tak długo. Twoje zgłoszenie nr {{ticket.id}} zostało rozwiązane. Jeśli coś nadal jest nie tak, po prostu odpowiedz na tę wiadomość, a zajmę się tym dalej.

Z pozdrowieniami
{{agent.name}}', 'pl', 'solved', '[]', NULL, NULL, 'rozwiązane, dziękujemy dzień dobry {{customer.first_name}},

dziękuję za cierpliwość i jeszcze raz przepraszam, że trwało to tak długo. twoje zgłoszenie nr {{ticket.id}} zostało rozwiązane. jeśli coś nadal jest nie tak, po prostu odpowiedz na tę wiadomość, a zajmę się tym dalej.

z pozdrowieniami
{{agent.name}}', NULL, 0, 0),
('Atsiprašymas už nepatogumus', 'Sveiki, {{customer.first_name}},

Dėkoju, kad parašėte, ir nuoširdžiai atsiprašau už sukeltus nepatogumus. Suprantu, kaip tai erzina, ir Jūsų klausimą (užklausa Nr. {{ticket.id}}) sprendžiu asmeniškai.

Susisieksiu su Jumis, kai tik sužinosiu daugiau.

Pagarbiai
{{agent.name}}', 'lt', NULL, '["apology"]', NULL, NULL, 'atsiprašymas už nepatogumus sveiki, {{customer.first_name}},

dėkoju, kad parašėte, ir nuoširdžiai atsiprašau už sukeltus nepatogumus. suprantu, kaip tai erzina, ir jūsų klausimą (užklausa nr. {{ticket.id}}) sprendžiu asmeniškai.

susisieksiu su jumis, kai tik sužinosiu daugiau.

pagarbiai
{{agent.name}}', NULL, 0, 0),
('Išspręsta, ačiū', 'Sveiki, {{customer.first_name}},

Dėkoju už kantrybę ir dar kartą atsiprašau, kad tai užtruko. Jūsų užklausa Nr. {{ticket.id}} išspręsta. Jei kas nors vis dar ne taip, tiesiog atsakykite į šį laišką ir tęsiu nuo čia.

Pagarbiai
{{agent.name}}', 'lt', 'solved', '[]', NULL, NULL, 'išspręsta, ačiū sveiki, {{customer.first_name}},

dėkoju už kantrybę ir dar kartą atsiprašau, kad tai užtruko. jūsų užklausa nr. {{ticket.id}} išspręsta. jei kas nors vis dar ne taip, tiesiog atsakykite į šį laišką ir tęsiu nuo čia.

pagarbiai
{{agent.name}}', NULL, 0, 0),
('Paumanhin sa abala', 'Magandang araw, {{customer.first_name}},

Salamat sa iyong mensahe, at taos-puso akong humihingi ng paumanhin sa abalang idinulot nito. Nauunawaan ko kung gaano ito nakakainis, at personal kong tinututukan ang iyong kaso (tiket #{{ticket.id}}).

Babalikan kita sa lalong madaling panahon kapag may bago akong impormasyon.

Lubos na gumagalang,
{{agent.name}}', 'tl', NULL, '["apology"]', NULL, NULL, 'paumanhin sa abala magandang araw, {{customer.first_name}},

salamat sa iyong mensahe, at taos-puso akong humihingi ng paumanhin sa abalang idinulot nito. nauunawaan ko kung gaano ito nakakainis, at personal kong tinututukan ang iyong kaso (tiket #{{ticket.id}}).

babalikan kita sa lalong madaling panahon kapag may bago akong impormasyon.

lubos na gumagalang,
{{agent.name}}', NULL, 0, 0),
('Nalutas na, salamat', 'Magandang araw, {{customer.first_name}},

Salamat sa iyong pasensya, at muli, paumanhin sa pagkaantala. Nalutas na ang iyong kahilingan #{{ticket.id}}. Kung may hindi pa rin tama, sumagot ka lang sa mensaheng ito at itutuloy ko mula rito.

Lubos na gumagalang,
{{agent.name}}', 'tl', 'solved', '[]', NULL, NULL, 'nalutas na, salamat magandang araw, {{customer.first_name}},

salamat sa iyong pasensya, at muli, paumanhin sa pagkaantala. nalutas na ang iyong kahilingan #{{ticket.id}}. kung may hindi pa rin tama, sumagot ka lang sa mensaheng ito at itutuloy ko mula rito.

lubos na gumagalang,
{{agent.name}}', NULL, 0, 0);
