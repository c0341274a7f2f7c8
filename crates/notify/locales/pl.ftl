# Podsumowanie e-mailem tego, co wydarzyło się pod nieobecność konsultanta (crates/notify).
digest-subject = { $count ->
    [one] tiski: 1 nowe powiadomienie podczas Twojej nieobecności
    [few] tiski: { $count } nowe powiadomienia podczas Twojej nieobecności
   *[many] tiski: { $count } nowych powiadomień podczas Twojej nieobecności
}
digest-greeting = Dzień dobry { $name },
digest-intro = { $count ->
    [one] podczas Twojej nieobecności pojawiło się 1 nieprzeczytane powiadomienie:
    [few] podczas Twojej nieobecności pojawiły się { $count } nieprzeczytane powiadomienia:
   *[many] podczas Twojej nieobecności pojawiło się { $count } nieprzeczytanych powiadomień:
}
digest-kind-assigned = Przypisano Ci zgłoszenie
digest-kind-mentioned = Wspomniano o Tobie
digest-kind-customer-replied = Odpowiedź klienta
digest-kind-help-requested = Współpracownik prosi Cię o pomoc
digest-kind-sla-at-risk = Zagrożone SLA
digest-open = Otwórz tiski
digest-why = Ta wiadomość przyszła, ponieważ nie było Cię w tiski. To, co ma trafiać do Ciebie e-mailem, wybierzesz w ustawieniach powiadomień:
