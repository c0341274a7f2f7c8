# Ang email digest ng mga nangyari habang wala ang agent (crates/notify). Hindi nagbabago ang
# pangngalan ayon sa bilang, kaya walang plural na anyo rito.
digest-subject = tiski: { $count } abiso habang wala ka
digest-greeting = Magandang araw, { $name },
digest-intro = may { $count } abiso habang wala ka na hindi mo pa nababasa:
digest-kind-assigned = Itinalaga sa iyo ang isang tiket
digest-kind-mentioned = Binanggit ka
digest-kind-customer-replied = Sumagot ang kustomer
digest-kind-help-requested = Humihingi ng tulong mo ang isang kasamahan
digest-kind-sla-at-risk = Nanganganib ang SLA
digest-open = Buksan ang tiski
digest-why = Natanggap mo ang email na ito dahil wala ka sa tiski. Piliin sa iyong mga setting ng abiso kung ano ang ipapadala sa iyo sa email:
