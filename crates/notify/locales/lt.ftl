# El. pašto suvestinė apie tai, kas nutiko, kol darbuotojo nebuvo (crates/notify).
digest-subject = { $count ->
    [one] tiski: { $count } naujas pranešimas, kol jūsų nebuvo
    [few] tiski: { $count } nauji pranešimai, kol jūsų nebuvo
   *[other] tiski: { $count } naujų pranešimų, kol jūsų nebuvo
}
digest-greeting = Sveiki, { $name },
digest-intro = { $count ->
    [one] kol jūsų nebuvo, gautas { $count } neperskaitytas pranešimas:
    [few] kol jūsų nebuvo, gauti { $count } neperskaityti pranešimai:
   *[other] kol jūsų nebuvo, gauta { $count } neperskaitytų pranešimų:
}
digest-kind-assigned = Jums priskirta užklausa
digest-kind-mentioned = Jus paminėjo
digest-kind-customer-replied = Klientas atsakė
digest-kind-help-requested = Kolega prašo jūsų pagalbos
digest-kind-sla-at-risk = Gresia SLA pažeidimas
digest-open = Atverti tiski
digest-why = Gaunate šį laišką, nes kurį laiką nebuvote tiski. Ką gauti el. paštu, galite pasirinkti pranešimų nustatymuose:
