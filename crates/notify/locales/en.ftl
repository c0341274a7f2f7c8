# The email digest an agent gets of what happened while they were away (crates/notify).
# Every catalog here has exactly these keys (a test in crates/notify checks).
digest-subject = { $count ->
    [one] tiski: 1 notification while you were away
   *[other] tiski: { $count } notifications while you were away
}
digest-greeting = Hello { $name },
digest-intro = { $count ->
    [one] this happened while you were away, and you have not read it yet:
   *[other] these { $count } things happened while you were away, and you have not read them yet:
}
digest-kind-assigned = Assigned to you
digest-kind-mentioned = You were mentioned
digest-kind-customer-replied = The customer replied
digest-kind-help-requested = A colleague asks for your help
digest-kind-sla-at-risk = SLA at risk
digest-open = Open tiski
digest-why = You get this mail because you were away from tiski. Choose what is mailed to you in your notification settings:
