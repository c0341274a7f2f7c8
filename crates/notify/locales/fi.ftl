# Sähköpostikooste siitä, mitä tapahtui asiakaspalvelijan poissa ollessa (crates/notify).
digest-subject = { $count ->
    [one] tiski: 1 uusi ilmoitus poissaolosi aikana
   *[other] tiski: { $count } uutta ilmoitusta poissaolosi aikana
}
digest-greeting = Hei { $name },
digest-intro = { $count ->
    [one] poissaolosi aikana tuli ilmoitus, jota et ole vielä lukenut:
   *[other] poissaolosi aikana tuli { $count } ilmoitusta, joita et ole vielä lukenut:
}
digest-kind-assigned = Sinulle annettiin tiketti
digest-kind-mentioned = Sinut mainittiin
digest-kind-customer-replied = Asiakas vastasi
digest-kind-help-requested = Kollega pyytää apuasi
digest-kind-sla-at-risk = SLA-aika on ylittymässä
digest-open = Avaa tiski
digest-why = Saat tämän viestin, koska olit poissa tiskistä. Valitse ilmoitusasetuksistasi, mitä sinulle lähetetään sähköpostilla:
