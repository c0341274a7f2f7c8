//! What the demo tickets say: the customer requests and the phrases around them.
//!
//! The scenarios (subject, first message, reply and note in every language), the greetings,
//! signatures, follow-ups, thanks and closing words, the internal notes, and the placeholder
//! substitution that fills them. Text only, so that the ticket logic stays readable.

use super::people::{BILLING, ORDERS, PerLang, RETURNS, TECH};

/// A kind of customer request, with its texts in every language.
///
/// Texts may hold `{order}`, `{serial}` and `{email}`; replies are wrapped in a greeting and a
/// signature.
pub(super) struct Scenario {
    /// The team that handles it, an index into [`TEAMS`].
    ///
    /// [`TEAMS`]: super::people::TEAMS
    pub(super) team: usize,
    /// Tags the ticket gets.
    pub(super) tags: &'static [&'static str],
    /// How often it comes up from private and from business customers.
    pub(super) weight: (u32, u32),
    /// Whether it is a complaint (more urgent, sometimes escalated).
    pub(super) complaint: bool,
    /// Subject, in the customer's language.
    pub(super) subject: PerLang,
    /// The customer's first message.
    pub(super) body: PerLang,
    /// The agent's answer, between greeting and signature.
    pub(super) reply: PerLang,
    /// An internal note in English, the team's shared language.
    pub(super) note: &'static str,
}

/// The requests the demo customers make.
pub(super) const SCENARIOS: [Scenario; 10] = [
    Scenario {
        team: ORDERS,
        tags: &["delivery", "order"],
        weight: (14, 6),
        complaint: false,
        subject: [
            "Where is my order {order}?",
            "Missä tilaukseni {order} on?",
            "Gdzie jest moje zamówienie {order}?",
            "Kur mano užsakymas {order}?",
            "Nasaan na po ang order ko na {order}?",
        ],
        body: [
            "Hello,\n\nI ordered a Kuura K7 coffee machine ten days ago (order {order}) and the tracking page still says \"label created\". The confirmation promised delivery in 3–5 working days. Could you check where the parcel is?",
            "Hei,\n\ntilasin Kuura K7 -kahvinkeittimen kymmenen päivää sitten (tilaus {order}), mutta seurantasivulla lukee edelleen vain \"lähetystiedot vastaanotettu\". Tilausvahvistuksen mukaan toimitus kestää 3–5 arkipäivää. Voisitteko selvittää, missä paketti on?",
            "Dzień dobry,\n\nmoje zamówienie {order} (ekspres Kuura K7) zostało złożone dziesięć dni temu, a na stronie śledzenia przesyłki nadal widnieje status „etykieta utworzona”. W potwierdzeniu była mowa o dostawie w ciągu 3–5 dni roboczych. Czy mogą Państwo sprawdzić, gdzie jest paczka?",
            "Laba diena,\n\nprieš dešimt dienų užsisakiau kavos aparatą Kuura K7 (užsakymas {order}), tačiau siuntos sekimo puslapyje vis dar rodoma „sukurta etiketė“. Patvirtinime buvo nurodyta, kad pristatymas užtruks 3–5 darbo dienas. Gal galėtumėte patikrinti, kur yra siunta?",
            "Hello po,\n\nNag-order po ako ng Kuura K7 coffee machine sampung araw na ang nakalipas (order {order}), pero \"label created\" pa rin ang nakalagay sa tracking page. Ayon sa confirmation, darating daw ito sa loob ng 3–5 working days. Pwede po bang paki-check kung nasaan na ang parcel?",
        ],
        reply: [
            "Thank you for your patience, and sorry for the delay. I checked order {order} with the courier: the parcel was held at their sorting terminal and left it this morning. You will get a text message with the delivery time tomorrow.",
            "Kiitos kärsivällisyydestä, ja pahoittelut viivästyksestä. Tarkistin tilauksen {order} kuljetusyhtiöltä: paketti oli jumissa lajitteluterminaalissa, mutta se lähti sieltä tänä aamuna. Saatte huomenna tekstiviestin, jossa kerrotaan toimitusaika.",
            "Dziękujemy za cierpliwość i przepraszamy za opóźnienie. Sprawdziliśmy zamówienie {order} u kuriera: paczka utknęła w sortowni, ale dziś rano ruszyła w dalszą drogę. Jutro przyjdzie SMS z godziną dostawy.",
            "Dėkojame už kantrybę ir atsiprašome dėl vėlavimo. Patikrinome užsakymą {order} pas kurjerį: siunta buvo užstrigusi rūšiavimo terminale, tačiau šį rytą išvežta toliau. Rytoj gausite SMS žinutę su pristatymo laiku.",
            "Salamat po sa inyong pasensya, at paumanhin sa pagkaantala. Na-check na po namin ang order {order} sa courier: naipit po ang parcel sa kanilang sorting hub, pero umalis na po ito kaninang umaga. Makakatanggap po kayo ng text bukas kung anong oras ito darating.",
        ],
        note: "Courier confirms the parcel was stuck at the sorting terminal; new ETA tomorrow. I'll check again if there is no scan by noon.",
    },
    Scenario {
        team: ORDERS,
        tags: &["pricing", "quote"],
        weight: (3, 20),
        complaint: false,
        subject: [
            "Price for 12 Kuura K7 machines for our office",
            "Hintatiedustelu: 12 kpl Kuura K7 toimistoon",
            "Zapytanie ofertowe: 12 ekspresów Kuura K7 do biura",
            "Kainos užklausa: 12 vnt. Kuura K7 biurui",
            "Presyo para sa 12 Kuura K7 para sa opisina",
        ],
        body: [
            "Hello,\n\nWe are furnishing a new office and would like to buy 12 Kuura K7 coffee machines. Do you offer a volume discount, and what would the price be including delivery? We would also need an invoice with 30 days' payment terms.",
            "Hei,\n\nkalustamme uutta toimistoa ja haluaisimme ostaa 12 Kuura K7 -kahvinkeitintä. Saako näin isosta tilauksesta paljousalennusta, ja mikä olisi hinta toimituksineen? Tarvitsisimme myös laskun 30 päivän maksuajalla.",
            "Dzień dobry,\n\nurządzamy nowe biuro i chcielibyśmy kupić 12 ekspresów Kuura K7. Czy przy takiej ilości możliwy jest rabat i jaka byłaby cena z dostawą? Potrzebujemy też faktury VAT z 30-dniowym terminem płatności.",
            "Laba diena,\n\nįrengiame naują biurą ir norėtume įsigyti 12 kavos aparatų Kuura K7. Ar taikote kiekio nuolaidą ir kokia būtų kaina su pristatymu? Taip pat mums reikėtų sąskaitos faktūros su 30 dienų apmokėjimo terminu.",
            "Hello po,\n\nNag-aayos po kami ng bagong opisina at gusto naming bumili ng 12 Kuura K7 coffee machine. May discount po ba kung maramihan, at magkano po ang kabuuan kasama ang delivery? Kailangan din po namin ng invoice na may 30 days na payment terms.",
        ],
        reply: [
            "Thank you for your interest! For 12 Kuura K7 machines we can offer 15% off the list price, which makes £289 per machine including VAT, and delivery is free for orders over £800. Invoicing with 30 days' payment terms is fine for business customers. Shall I prepare a formal quote?",
            "Kiitos kiinnostuksestanne! 12 Kuura K7 -keittimen tilaukseen voimme antaa 15 %:n alennuksen listahinnasta, jolloin hinnaksi tulee 339 € / kpl (sis. alv). Yli 1 000 euron tilaukset toimitetaan veloituksetta, ja yritysasiakkaille laskutus 30 päivän maksuajalla onnistuu. Laadinko teille virallisen tarjouksen?",
            "Dziękujemy za zainteresowanie! Przy zamówieniu 12 ekspresów Kuura K7 możemy zaoferować rabat 15% od ceny katalogowej, czyli 1 459 zł brutto za sztukę. Dostawa zamówień powyżej 4 000 zł jest bezpłatna, a dla firm faktura z 30-dniowym terminem płatności nie stanowi problemu. Czy przygotować formalną ofertę?",
            "Dėkojame už susidomėjimą! Užsakant 12 aparatų Kuura K7, galime pasiūlyti 15 % nuolaidą nuo katalogo kainos – 339 € už vienetą su PVM. Užsakymams virš 1 000 € pristatymas nemokamas, o verslo klientams sąskaitą su 30 dienų apmokėjimo terminu išrašome be problemų. Ar paruošti oficialų komercinį pasiūlymą?",
            "Salamat po sa inyong interes! Para sa 12 Kuura K7, makakapagbigay po kami ng 15% discount sa list price, kaya ₱21,500 po bawat isa kasama na ang VAT. Libre po ang delivery para sa order na lampas ₱50,000, at pwede po ang invoice na may 30 days na payment terms para sa mga business customer. Gusto n'yo po bang gawan namin kayo ng pormal na quotation?",
        ],
        note: "Business customer: Billing confirmed that 30-day invoicing is approved. Quote template is in the shared drive.",
    },
    Scenario {
        team: TECH,
        tags: &["product-question", "pre-sales"],
        weight: (9, 4),
        complaint: false,
        subject: [
            "Does the Myrsky R2 handle thick rugs?",
            "Selviääkö Myrsky R2 paksuista matoista?",
            "Czy Myrsky R2 poradzi sobie z grubym dywanem?",
            "Ar Myrsky R2 įveikia storus kilimus?",
            "Kaya ba ng Myrsky R2 ang makapal na carpet?",
        ],
        body: [
            "Hi,\n\nI'm thinking of buying the Myrsky R2 robot vacuum. We have a thick wool rug in the living room and a dog that sheds a lot. Can the R2 climb onto a rug about 2 cm high, and is the dust bin big enough for pet hair?",
            "Hei,\n\nharkitsen Myrsky R2 -robotti-imurin ostamista. Olohuoneessa on paksu villamatto, ja meillä on koira, joka karvoo paljon. Nouseeko R2 noin 2 cm korkealle matolle, ja riittääkö pölysäiliö koiran karvoille?",
            "Dzień dobry,\n\nrozważam zakup robota sprzątającego Myrsky R2. W salonie mamy gruby wełniany dywan, a nasz pies bardzo linieje. Czy R2 wjedzie na dywan o wysokości ok. 2 cm i czy pojemnik na kurz wystarczy na sierść?",
            "Sveiki,\n\nsvarstau įsigyti robotą dulkių siurblį Myrsky R2. Svetainėje turime storą vilnonį kilimą, o mūsų šuo labai šeriasi. Ar R2 užvažiuoja ant maždaug 2 cm aukščio kilimo ir ar dulkių talpos pakanka gyvūnų plaukams?",
            "Hi po,\n\nBalak ko pong bumili ng Myrsky R2 robot vacuum. May makapal po kaming carpet sa sala at may aso kaming maraming nalalagas na balahibo. Kaya po ba ng R2 umakyat sa carpet na mga 2 cm ang kapal, at sapat po ba ang dust bin para sa balahibo ng aso?",
        ],
        reply: [
            "Good questions! The Myrsky R2 climbs thresholds and rugs up to 2.5 cm, so your rug is fine. For pet hair we recommend the rubber brush roll that comes in the box, and the self-emptying station holds about 60 days of dust, so the small bin on the robot itself is not a problem.",
            "Hyviä kysymyksiä! Myrsky R2 ylittää kynnykset ja matot 2,5 cm:iin asti, joten teidän mattonne ei tuota ongelmia. Lemmikkien karvoille suosittelemme pakkauksessa mukana tulevaa kumiharjaa, ja itsetyhjentävään asemaan mahtuu noin 60 päivän pölyt, joten robotin oma pieni säiliö ei ole ongelma.",
            "Dziękujemy za pytanie! Myrsky R2 pokonuje progi i dywany o wysokości do 2,5 cm, więc Państwa dywan nie będzie problemem. Na sierść zwierząt polecamy gumową szczotkę, która jest w zestawie, a stacja samoopróżniająca mieści kurz z około 60 dni, więc mały pojemnik w samym robocie wystarczy.",
            "Puikūs klausimai! Myrsky R2 įveikia slenksčius ir kilimus iki 2,5 cm aukščio, tad jūsų kilimas nebus kliūtis. Gyvūnų plaukams rekomenduojame komplekte esantį guminį šepetį, o savaime išsituštinanti stotelė talpina maždaug 60 dienų dulkes, todėl mažas roboto konteineris netrukdys.",
            "Magandang tanong po! Kaya ng Myrsky R2 ang mga threshold at carpet na hanggang 2.5 cm, kaya walang problema ang carpet ninyo. Para sa balahibo ng alaga, inirerekomenda po namin ang rubber brush roll na kasama sa box, at ang self-emptying station ay kayang maglaman ng alikabok na mga 60 araw, kaya hindi po magiging problema ang maliit na bin ng robot.",
        ],
        note: "Pre-sales question. Sent the spec sheet link as well; the customer may ask about the pet edition next.",
    },
    Scenario {
        team: RETURNS,
        tags: &["warranty"],
        weight: (11, 6),
        complaint: false,
        subject: [
            "Kuura K7 leaking water – still under warranty",
            "Kuura K7 vuotaa vettä – takuu voimassa",
            "Kuura K7 cieknie – naprawa gwarancyjna",
            "Kuura K7 leidžia vandenį – garantinis atvejis",
            "Tumutulo ang Kuura K7 – may warranty pa",
        ],
        body: [
            "Hello,\n\nOur Kuura K7, bought in March (order {order}), has started leaking water from underneath whenever it makes coffee. It is still well within the two-year warranty. What should I do – do I send it to you, or will you send a new one?",
            "Hei,\n\nmaaliskuussa ostamamme Kuura K7 (tilaus {order}) on alkanut vuotaa vettä pohjasta aina kahvia keittäessä. Kahden vuoden takuu on vielä hyvin voimassa. Miten toimin – lähetänkö keittimen teille vai lähetättekö uuden?",
            "Dzień dobry,\n\nnasz ekspres Kuura K7, kupiony w marcu (zamówienie {order}), zaczął przeciekać od spodu przy każdym parzeniu kawy. Dwuletnia gwarancja jest jeszcze ważna. Co należy zrobić – odesłać ekspres do Państwa, czy otrzymamy nowy?",
            "Laba diena,\n\nmūsų kovo mėnesį pirktas Kuura K7 (užsakymas {order}) pradėjo leisti vandenį iš apačios kiekvieną kartą verdant kavą. Dvejų metų garantija dar galioja. Ką daryti – išsiųsti aparatą jums, ar atsiųsite naują?",
            "Hello po,\n\nAng Kuura K7 namin na binili noong Marso (order {order}) ay tumutulo na ng tubig sa ilalim tuwing nagtitimpla ng kape. May warranty pa po ito na dalawang taon. Ano po ang dapat gawin – ipapadala ko po ba sa inyo o magpapadala kayo ng bago?",
        ],
        reply: [
            "I'm sorry to hear about the leak. This is covered by the warranty. I've created a prepaid return label for you (attached): pack the machine in any sturdy box and drop it at the nearest parcel point. As soon as it reaches our service centre we'll send you a replacement, usually within 5 working days.",
            "Ikävä kuulla vuodosta. Vika kuuluu takuun piiriin. Loin teille valmiiksi maksetun palautustarran (liitteenä): pakatkaa keitin mihin tahansa tukevaan laatikkoon ja viekää se lähimpään pakettipisteeseen. Kun keitin on saapunut huoltoomme, lähetämme uuden tilalle, yleensä viiden arkipäivän kuluessa.",
            "Przykro nam z powodu usterki. Naprawa jest objęta gwarancją. Przygotowaliśmy opłaconą etykietę zwrotną (w załączniku): wystarczy zapakować ekspres w solidny karton i nadać go w najbliższym punkcie nadania paczek. Gdy ekspres dotrze do naszego serwisu, wyślemy urządzenie zastępcze, zwykle w ciągu 5 dni roboczych.",
            "Apgailestaujame dėl gedimo. Šis atvejis yra garantinis. Paruošėme jums apmokėtą grąžinimo etiketę (prisegta): supakuokite aparatą į tvirtą dėžę ir pristatykite į artimiausią siuntų tašką. Kai aparatas pasieks mūsų servisą, išsiųsime jums naują, paprastai per 5 darbo dienas.",
            "Pasensya na po sa abala. Sakop po ito ng warranty. Gumawa na po kami ng prepaid return label (naka-attach): i-pack lang po ang machine sa matibay na kahon at dalhin sa pinakamalapit na parcel point. Pagdating nito sa aming service center, magpapadala po kami ng kapalit, karaniwan sa loob ng 5 working days.",
        ],
        note: "Warranty approved (purchase date checked). Replacement K7 reserved from stock; return label RL-{serial} sent.",
    },
    Scenario {
        team: ORDERS,
        tags: &["complaint", "delivery", "damaged"],
        weight: (9, 5),
        complaint: true,
        subject: [
            "Parcel arrived damaged – complaint",
            "Reklamaatio: paketti saapui rikki",
            "Reklamacja: paczka dotarła uszkodzona",
            "Skundas: siunta atkeliavo pažeista",
            "Reklamo: sira ang dumating na parcel",
        ],
        body: [
            "Hello,\n\nI want to make a complaint. My order {order} arrived yesterday with the box crushed, and the glass jug of the blender is cracked. The courier just left the parcel at the door without asking for a signature. I've kept the packaging. I expect a replacement, not a voucher.",
            "Hei,\n\nhaluan tehdä reklamaation. Tilaukseni {order} tuli eilen, laatikko oli rutussa ja tehosekoittimen lasikannu on haljennut. Kuljettaja jätti paketin oven eteen kysymättä kuittausta. Pakkaus on tallessa. Odotan uutta tuotetta tilalle, en lahjakorttia.",
            "Dzień dobry,\n\nchcę złożyć reklamację. Zamówienie {order} dotarło wczoraj w zgniecionym kartonie, a szklany dzbanek blendera jest pęknięty. Kurier zostawił paczkę pod drzwiami bez potwierdzenia odbioru. Opakowanie zachowuję. Oczekuję wymiany towaru, a nie bonu.",
            "Laba diena,\n\nnoriu pateikti skundą. Užsakymas {order} vakar atkeliavo suglamžytoje dėžėje, o trintuvo stiklinis indas yra įskilęs. Kurjeris paliko siuntą prie durų ir neprašė pasirašyti. Pakuotę išsaugojau. Tikiuosi gauti naują prekę, o ne dovanų kuponą.",
            "Hello po,\n\nGusto ko pong magreklamo. Dumating kahapon ang order ko na {order} na yupi ang kahon, at basag ang glass jar ng blender. Iniwan lang ng rider ang parcel sa pinto nang walang pirma. Nakatabi pa po ang packaging. Gusto ko po ng kapalit, hindi voucher.",
        ],
        reply: [
            "I'm really sorry – that is not how your order should arrive. I've sent a new blender jug to you by express delivery today, and you don't need to return the broken one; please just recycle it. I've also filed a report with the courier about the missing signature.",
            "Olen todella pahoillani – näin tilauksen ei kuulu saapua. Lähetin teille tänään pikatoimituksena uuden kannun, eikä rikkinäistä tarvitse palauttaa; sen voi viedä kierrätykseen. Tein myös kuljetusyhtiölle ilmoituksen puuttuvasta kuittauksesta.",
            "Bardzo przepraszamy – zamówienie nie powinno tak do Państwa dotrzeć. Dziś wysłaliśmy kurierem ekspresowym nowy dzbanek do blendera; uszkodzonego nie trzeba odsyłać, można go oddać do recyklingu. Złożyliśmy też skargę u przewoźnika w sprawie braku potwierdzenia odbioru.",
            "Labai atsiprašome – užsakymas tikrai neturėjo taip atkeliauti. Šiandien skubiuoju pristatymu išsiuntėme jums naują trintuvo indą; sudužusio grąžinti nereikia, jį galite atiduoti perdirbti. Taip pat pateikėme skundą kurjerių įmonei dėl nepasirašyto pristatymo.",
            "Humihingi po kami ng paumanhin – hindi po dapat ganito dumating ang order ninyo. Nagpadala na po kami ngayong araw ng bagong blender jar sa express delivery, at hindi na po kailangang ibalik ang basag. Nag-file na rin po kami ng report sa courier tungkol sa walang pirma.",
        ],
        note: "Photos received. Courier damage report filed (ref. DR-{serial}); replacement jug sent by express.",
    },
    Scenario {
        team: ORDERS,
        tags: &["replacement-part", "order"],
        weight: (10, 6),
        complaint: false,
        subject: [
            "Replacement brush and filter for Myrsky R2",
            "Varaosia Myrsky R2:een: harja ja suodatin",
            "Części zamienne do Myrsky R2: szczotka i filtr",
            "Atsarginės dalys Myrsky R2: šepetys ir filtras",
            "Pamalit na brush at filter para sa Myrsky R2",
        ],
        body: [
            "Hi,\n\nThe side brush on my Myrsky R2 is worn out and the filter is getting grey. Can I order just the spare parts? I'd need two side brushes and two HEPA filters. The robot's serial number is MR2-{serial}.",
            "Hei,\n\nMyrsky R2:n sivuharja on kulunut loppuun ja suodatin alkaa olla harmaa. Voiko pelkkiä varaosia tilata? Tarvitsisin kaksi sivuharjaa ja kaksi HEPA-suodatinta. Robotin sarjanumero on MR2-{serial}.",
            "Dzień dobry,\n\nboczna szczotka w moim Myrsky R2 jest już zużyta, a filtr robi się szary. Czy można zamówić same części? Potrzebuję dwóch szczotek bocznych i dwóch filtrów HEPA. Numer seryjny robota to MR2-{serial}.",
            "Laba diena,\n\nmano Myrsky R2 šoninis šepetys nusidėvėjo, o filtras jau papilkėjo. Ar galima užsisakyti tik atsargines dalis? Man reikėtų dviejų šoninių šepečių ir dviejų HEPA filtrų. Roboto serijos numeris – MR2-{serial}.",
            "Hi po,\n\nPudpod na po ang side brush ng Myrsky R2 ko at nangingitim na ang filter. Pwede po bang mag-order ng spare parts lang? Kailangan ko po ng dalawang side brush at dalawang HEPA filter. Ang serial number po ng robot ay MR2-{serial}.",
        ],
        reply: [
            "Of course! A spare part kit for the Myrsky R2 with two side brushes and two HEPA filters costs £21.90, and I've placed the order for you as {order}. You'll get a payment link by email, and the parts ship the same day the payment arrives.",
            "Totta kai! Myrsky R2:n varaosasarja, jossa on kaksi sivuharjaa ja kaksi HEPA-suodatinta, maksaa 24,90 €, ja tein tilauksen valmiiksi numerolla {order}. Saatte maksulinkin sähköpostiin, ja osat lähtevät samana päivänä, kun maksu on tullut.",
            "Oczywiście! Zestaw części do Myrsky R2 z dwiema szczotkami bocznymi i dwoma filtrami HEPA kosztuje 109 zł. Zamówienie zostało już założone pod numerem {order}. Link do płatności przyjdzie e-mailem, a części wyślemy tego samego dnia, w którym zaksięgujemy wpłatę.",
            "Žinoma! Myrsky R2 atsarginių dalių rinkinys su dviem šoniniais šepečiais ir dviem HEPA filtrais kainuoja 24,90 €, užsakymą jau sukūrėme numeriu {order}. Mokėjimo nuorodą gausite el. paštu, o dalis išsiųsime tą pačią dieną, kai gausime apmokėjimą.",
            "Opo, pwedeng-pwede! Ang spare parts kit para sa Myrsky R2 na may dalawang side brush at dalawang HEPA filter ay ₱1,590, at nai-order na po namin ito para sa inyo bilang {order}. Makakatanggap po kayo ng payment link sa email, at ipapadala ang parts sa mismong araw na matanggap ang bayad.",
        ],
        note: "Parts in stock at the warehouse. Payment link sent; ship on payment.",
    },
    Scenario {
        team: BILLING,
        tags: &["refund", "return"],
        weight: (10, 4),
        complaint: false,
        subject: [
            "Refund for returned order {order} not received",
            "Palautetun tilauksen {order} hyvitys puuttuu",
            "Brak zwrotu pieniędzy za zamówienie {order}",
            "Negrąžinti pinigai už užsakymą {order}",
            "Wala pa ang refund para sa ibinalik na order {order}",
        ],
        body: [
            "Hello,\n\nI returned the blender from order {order} three weeks ago, and the tracking shows you received it on the 4th. I still haven't got my money back. How long does a refund normally take?",
            "Hei,\n\npalautin tilauksen {order} tehosekoittimen kolme viikkoa sitten, ja seurannan mukaan se on saapunut teille kuun 4. päivä. Rahoja ei ole vieläkään palautettu. Kauanko hyvityksessä yleensä kestää?",
            "Dzień dobry,\n\nblender z zamówienia {order} został odesłany trzy tygodnie temu, a według śledzenia przesyłki dotarł do Państwa 4. dnia tego miesiąca. Pieniądze nadal nie wróciły na moje konto. Ile zwykle trwa zwrot?",
            "Laba diena,\n\nprieš tris savaites grąžinau trintuvą iš užsakymo {order}, ir pagal siuntos sekimą jūs jį gavote šio mėnesio 4 d. Pinigų vis dar negavau. Kiek paprastai užtrunka pinigų grąžinimas?",
            "Hello po,\n\nIbinalik ko po ang blender mula sa order {order} tatlong linggo na ang nakalipas, at ayon sa tracking natanggap n'yo na ito noong ika-4. Hanggang ngayon wala pa po ang refund ko. Gaano po katagal karaniwan ang refund?",
        ],
        reply: [
            "Thank you for letting us know, and sorry for the wait. Your return was registered, but the refund got stuck in our payment system. I've now processed it manually: the full amount will be back on your card within 3–5 banking days.",
            "Kiitos, että otitte yhteyttä, ja pahoittelut odottelusta. Palautus oli kirjattu, mutta hyvitys oli jäänyt jumiin maksujärjestelmäämme. Käsittelin sen nyt käsin: koko summa palautuu kortillenne 3–5 pankkipäivän kuluessa.",
            "Dziękujemy za wiadomość i przepraszamy za zwłokę. Zwrot towaru został zarejestrowany, ale zwrot płatności utknął w naszym systemie. Zleciliśmy go teraz ręcznie: pełna kwota wróci na kartę w ciągu 3–5 dni roboczych.",
            "Dėkojame, kad parašėte, ir atsiprašome už laukimą. Prekės grąžinimas buvo užregistruotas, tačiau pinigų grąžinimas užstrigo mūsų mokėjimų sistemoje. Dabar jį atlikome rankiniu būdu: visa suma grįš į jūsų kortelę per 3–5 banko darbo dienas.",
            "Salamat po sa pag-abiso, at pasensya na po sa paghihintay. Na-register po ang return ninyo pero na-stuck ang refund sa aming payment system. Manual na po naming naproseso ito ngayon: babalik po ang buong halaga sa inyong card sa loob ng 3–5 banking days.",
        ],
        note: "Refund was stuck in the payment provider queue. Reprocessed manually – watch for other refunds with the same error.",
    },
    Scenario {
        team: TECH,
        tags: &["account", "sign-up"],
        weight: (8, 3),
        complaint: false,
        subject: [
            "Sign-up confirmation email never arrives",
            "Rekisteröitymisen vahvistusviesti ei tule",
            "Nie dochodzi e-mail potwierdzający rejestrację",
            "Negaunu registracijos patvirtinimo laiško",
            "Hindi dumarating ang confirmation email sa pag-sign up",
        ],
        body: [
            "Hi,\n\nI've tried to create an account in your online shop three times today, but the confirmation email never arrives. I've checked the spam folder too. My address is {email}. Could you activate the account for me?",
            "Hei,\n\nyritin tänään kolme kertaa luoda tilin verkkokauppaanne, mutta vahvistusviestiä ei kuulu. Katsoin myös roskapostikansion. Osoitteeni on {email}. Voisitteko aktivoida tilin puolestani?",
            "Dzień dobry,\n\nod rana bezskutecznie próbuję założyć konto w Państwa sklepie internetowym: e-mail potwierdzający w ogóle nie dochodzi, a w folderze spam też go nie ma. Mój adres to {email}. Czy mogą Państwo aktywować konto ręcznie?",
            "Laba diena,\n\nšiandien tris kartus bandžiau susikurti paskyrą jūsų internetinėje parduotuvėje, bet patvirtinimo laiškas taip ir neateina. Patikrinau ir šlamšto aplanką. Mano adresas – {email}. Gal galėtumėte aktyvuoti paskyrą už mane?",
            "Hi po,\n\nTatlong beses na po akong sumubok gumawa ng account sa online shop ninyo ngayong araw, pero hindi dumarating ang confirmation email. Tiningnan ko na rin po ang spam folder. Ang email ko po ay {email}. Pwede n'yo po bang i-activate ang account ko?",
        ],
        reply: [
            "Thanks for checking the spam folder already. Our mail server had been refusing messages to your email provider; that is fixed now, and I've activated your account manually. You can sign in with your email address and set a password with \"Forgot password?\" on the sign-in page.",
            "Kiitos, että tarkistitte jo roskapostin. Postipalvelimemme oli hylännyt viestit sähköpostipalveluunne; vika on nyt korjattu, ja aktivoin tilinne käsin. Voitte kirjautua sähköpostiosoitteellanne ja asettaa salasanan kirjautumissivun \"Unohtuiko salasana?\" -linkistä.",
            "Dziękujemy za sprawdzenie folderu spam. Nasz serwer pocztowy odrzucał wiadomości do Państwa dostawcy poczty; usterka została usunięta, a konto aktywowaliśmy ręcznie. Można się już zalogować adresem e-mail, a hasło ustawić przez link „Nie pamiętasz hasła?” na stronie logowania.",
            "Ačiū, kad jau patikrinote šlamšto aplanką. Mūsų pašto serveris atmesdavo laiškus jūsų el. pašto paslaugų teikėjui; klaida jau ištaisyta, o jūsų paskyrą aktyvavome rankiniu būdu. Galite prisijungti savo el. pašto adresu, o slaptažodį nustatyti prisijungimo puslapyje paspaudę „Pamiršote slaptažodį?“.",
            "Salamat po at na-check n'yo na ang spam folder. Nire-reject po pala ng mail server namin ang mga email papunta sa provider ninyo; naayos na po iyon, at manual na po naming na-activate ang account ninyo. Pwede na po kayong mag-sign in gamit ang email address ninyo at mag-set ng password sa \"Forgot password?\" sa sign-in page.",
        ],
        note: "Mail to this provider bounced (SPF record on our side, fixed by IT this morning). Account activated manually.",
    },
    Scenario {
        team: BILLING,
        tags: &["billing", "double-charge"],
        weight: (6, 8),
        complaint: false,
        subject: [
            "Charged twice for order {order}",
            "Tilauksesta {order} veloitettiin kahdesti",
            "Podwójne obciążenie za zamówienie {order}",
            "Už užsakymą {order} nuskaičiuota du kartus",
            "Dalawang beses akong na-charge sa order {order}",
        ],
        body: [
            "Hello,\n\nMy bank statement shows two identical card payments for order {order}, made a minute apart. I only placed the order once. Please refund the duplicate payment.",
            "Hei,\n\ntiliotteellani näkyy kaksi samansuuruista korttimaksua tilauksesta {order} minuutin välein. Tein tilauksen vain kerran. Palauttakaa ylimääräinen veloitus.",
            "Dzień dobry,\n\nna wyciągu z konta widzę dwie identyczne płatności kartą za zamówienie {order}, wykonane w odstępie minuty. Zamówienie było złożone tylko raz. Proszę o zwrot podwójnej płatności.",
            "Laba diena,\n\nbanko išraše matau du vienodus mokėjimus kortele už užsakymą {order}, atliktus minutės skirtumu. Užsakymą pateikiau tik vieną kartą. Prašau grąžinti pasikartojantį mokėjimą.",
            "Hello po,\n\nMay nakikita po akong dalawang magkaparehong card payment para sa order {order} sa bank statement ko, isang minuto lang ang pagitan. Isang beses lang po ako nag-order. Paki-refund po ang sobrang bayad.",
        ],
        reply: [
            "Thank you for the details. I can see both payments: the first one failed on our side but was still reserved on your card. The duplicate reservation has now been cancelled, and your bank will release the amount within a few days. You don't need to do anything.",
            "Kiitos tiedoista. Näen molemmat maksut: ensimmäinen epäonnistui meidän päässämme, mutta summa jäi silti varatuksi kortillenne. Ylimääräinen varaus on nyt peruttu, ja pankkinne vapauttaa summan muutaman päivän kuluessa. Teidän ei tarvitse tehdä mitään.",
            "Dziękujemy za szczegóły. Widzimy obie płatności: pierwsza nie powiodła się po naszej stronie, ale kwota została zablokowana na karcie. Podwójna blokada została już anulowana, a bank zwolni środki w ciągu kilku dni. Nie trzeba nic więcej robić.",
            "Dėkojame už informaciją. Matome abu mokėjimus: pirmasis mūsų pusėje nepavyko, tačiau suma liko rezervuota jūsų kortelėje. Pasikartojanti rezervacija jau atšaukta, o bankas lėšas atlaisvins per kelias dienas. Jums nieko daryti nereikia.",
            "Salamat po sa detalye. Nakikita po namin ang dalawang payment: nag-fail po ang una sa aming system pero na-hold pa rin ang halaga sa card ninyo. Na-cancel na po ang sobrang hold, at ire-release ito ng bangko ninyo sa loob ng ilang araw. Wala na po kayong kailangang gawin.",
        ],
        note: "Duplicate authorisation, not a capture. Voided in the payment provider dashboard.",
    },
    Scenario {
        team: TECH,
        tags: &["technical", "app", "wifi"],
        weight: (10, 3),
        complaint: false,
        subject: [
            "Myrsky app can't find the robot on Wi-Fi",
            "Myrsky-sovellus ei löydä robottia wlanista",
            "Aplikacja Myrsky nie widzi robota w sieci Wi-Fi",
            "Programėlė Myrsky neranda roboto Wi-Fi tinkle",
            "Hindi makita ng Myrsky app ang robot sa Wi-Fi",
        ],
        body: [
            "Hi,\n\nAfter our router was replaced, the Myrsky app can no longer find the R2. I've tried resetting the robot by holding the home button, but pairing stops at \"Connecting to network\" every time. The new router is a dual-band model.",
            "Hei,\n\nreitittimemme vaihdettiin, ja sen jälkeen Myrsky-sovellus ei enää löydä R2:ta. Yritin nollata robotin pitämällä kotinappia pohjassa, mutta yhdistäminen jumittuu joka kerta kohtaan \"Yhdistetään verkkoon\". Uusi reititin on kaksitaajuinen.",
            "Dzień dobry,\n\npo wymianie routera aplikacja Myrsky nie może znaleźć robota R2. Reset robota przez przytrzymanie przycisku Home nic nie daje – parowanie za każdym razem zatrzymuje się na etapie „Łączenie z siecią”. Nowy router jest dwuzakresowy.",
            "Sveiki,\n\npakeitus maršrutizatorių, programėlė Myrsky nebegali rasti roboto R2. Robotą bandžiau atstatyti palaikius nuspaustą namų mygtuką, tačiau susiejimas kiekvieną kartą sustoja ties „Jungiamasi prie tinklo“. Naujas maršrutizatorius yra dviejų dažnių.",
            "Hi po,\n\nMula nang mapalitan ang router namin, hindi na makita ng Myrsky app ang R2. Sinubukan ko na pong i-reset ang robot sa pag-hold ng home button, pero laging tumitigil ang pairing sa \"Connecting to network\". Dual-band po ang bagong router.",
        ],
        reply: [
            "Thanks for the detailed description. The R2 only supports 2.4 GHz Wi-Fi, and new dual-band routers often use the same network name for both bands. Please enable a separate 2.4 GHz network in the router settings (or switch off 5 GHz for a moment), then pair the robot again. If it still fails, let us know and we'll go through it together on a call.",
            "Kiitos tarkasta kuvauksesta. R2 toimii vain 2,4 GHz:n wlanissa, ja uudet kaksitaajuiset reitittimet käyttävät usein samaa verkon nimeä molemmille taajuuksille. Ottakaa reitittimen asetuksista käyttöön erillinen 2,4 GHz:n verkko (tai kytkekää 5 GHz hetkeksi pois päältä) ja yhdistäkää robotti uudelleen. Jos se ei vieläkään onnistu, käydään asia läpi yhdessä puhelimessa.",
            "Dziękujemy za dokładny opis. R2 obsługuje wyłącznie sieć Wi-Fi 2,4 GHz, a nowe routery dwuzakresowe często używają tej samej nazwy sieci dla obu pasm. Prosimy włączyć w ustawieniach routera osobną sieć 2,4 GHz (albo na chwilę wyłączyć 5 GHz) i ponownie sparować robota. Jeśli nadal nie zadziała, przejdziemy przez to razem telefonicznie.",
            "Ačiū už išsamų aprašymą. R2 veikia tik 2,4 GHz Wi-Fi tinkle, o nauji dviejų dažnių maršrutizatoriai dažnai abiem dažniams naudoja tą patį tinklo pavadinimą. Maršrutizatoriaus nustatymuose įjunkite atskirą 2,4 GHz tinklą (arba trumpam išjunkite 5 GHz) ir susiekite robotą iš naujo. Jei vis tiek nepavyks, viską peržiūrėsime kartu telefonu.",
            "Salamat po sa detalyadong paliwanag. 2.4 GHz Wi-Fi lang po ang suportado ng R2, at madalas pareho ang network name ng 2.4 GHz at 5 GHz sa mga bagong dual-band router. Paki-enable po ang hiwalay na 2.4 GHz network sa router settings (o pansamantalang i-off ang 5 GHz), tapos i-pair ulit ang robot. Kung hindi pa rin gumana, sabay po nating aayusin sa isang tawag.",
        ],
        note: "Known issue with band-steering routers. If the 2.4 GHz tip doesn't help, escalate to the firmware team with the robot's serial MR2-{serial}.",
    },
];

/// How an agent opens a reply.
pub(super) const GREETING: PerLang = [
    "Hi {first},",
    "Hei {first},",
    "Dzień dobry,",
    "Laba diena,",
    "Magandang araw po, {first}!",
];

/// How an agent signs a reply (not in chats).
pub(super) const SIGNATURE: PerLang = [
    "Best regards,\n{agent}\nCustomer service",
    "Ystävällisin terveisin\n{agent}\nAsiakaspalvelu",
    "Pozdrawiam serdecznie\n{agent}\nDział Obsługi Klienta",
    "Pagarbiai\n{agent}\nKlientų aptarnavimo skyrius",
    "Salamat po,\n{agent}\nCustomer Service",
];

/// How a customer signs an email or web form.
pub(super) const SIGN_OFF: PerLang = [
    "Kind regards,\n{name}",
    "Terveisin\n{name}",
    "Z poważaniem\n{name}",
    "Pagarbiai\n{name}",
    "Salamat po,\n{name}",
];

/// A customer writing again while waiting: a question, or a nudge.
pub(super) const FOLLOW_UPS: [PerLang; 2] = [
    [
        "Thank you for the quick reply. One more thing: will I get a confirmation by email?",
        "Kiitos nopeasta vastauksesta. Vielä yksi asia: tuleeko tästä vahvistus sähköpostiin?",
        "Dziękuję za szybką odpowiedź. Jeszcze jedno pytanie: czy dostanę potwierdzenie e-mailem?",
        "Ačiū už greitą atsakymą. Dar vienas klausimas: ar gausiu patvirtinimą el. paštu?",
        "Salamat po sa mabilis na sagot. Isa pa po: makakatanggap po ba ako ng confirmation sa email?",
    ],
    [
        "Hello again – is there any news on this? I haven't heard anything for a few days.",
        "Hei taas – onko tähän asiaan kuulunut mitään uutta? En ole kuullut mitään muutamaan päivään.",
        "Dzień dobry, czy w tej sprawie jest już coś nowego? Od kilku dni nie ma żadnej informacji.",
        "Sveiki dar kartą, ar yra kokių nors naujienų? Jau kelias dienas nieko negirdėjau.",
        "Hello po ulit, may update na po ba dito? Ilang araw na po akong walang balita.",
    ],
];

/// A customer confirming that the problem is solved.
pub(super) const THANKS: PerLang = [
    "Great, that worked. Thank you for your help!",
    "Kiitos, nyt toimii! Kiitos avusta.",
    "Super, wszystko działa. Dziękuję za pomoc!",
    "Puiku, viskas veikia. Labai ačiū už pagalbą!",
    "Ayos na po, gumana na. Maraming salamat po sa tulong!",
];

/// An agent's last words before solving a ticket.
pub(super) const CLOSING: PerLang = [
    "I'm glad we could sort this out. If anything else comes up, just reply to this message.",
    "Hienoa, että asia saatiin kuntoon. Jos tulee vielä jotain kysyttävää, vastatkaa vain tähän viestiin.",
    "Cieszymy się, że udało się rozwiązać sprawę. Jeśli pojawią się jeszcze pytania, wystarczy odpowiedzieć na tę wiadomość.",
    "Džiaugiamės, kad pavyko išspręsti šį klausimą. Jei kiltų dar klausimų, tiesiog atsakykite į šį laišką.",
    "Natutuwa po kami na naayos na ito. Kung may iba pa po kayong tanong, mag-reply lang po sa mensaheng ito.",
];

/// Why a ticket of each team waits for a third party.
pub(super) const HOLD_NOTES: [&str; 4] = [
    "On hold: waiting for the courier's investigation (usually 2–3 working days).",
    "On hold: escalated to the firmware team, waiting for their answer.",
    "On hold: waiting for the payment provider to confirm the transaction.",
    "On hold: the machine is at the service centre for inspection.",
];

/// A supervisor's remarks on tickets nobody has answered yet.
pub(super) const TRIAGE_NOTES: [&str; 3] = [
    "Looks like the same problem as an earlier conversation; check the customer's other tickets before answering.",
    "The customer also called about this; please call back after 14:00 their time.",
    "Please answer today – it has been waiting since the morning.",
];

/// Values substituted into a text.
pub(super) struct Vars<'a> {
    /// The customer's name to greet them by.
    pub(super) first: &'a str,
    /// The customer's full name.
    pub(super) name: &'a str,
    /// The agent's first name.
    pub(super) agent: &'a str,
    /// An order number.
    pub(super) order: &'a str,
    /// A serial or reference number.
    pub(super) serial: &'a str,
    /// The customer's email address.
    pub(super) email: &'a str,
}

impl Vars<'_> {
    /// `text` with its placeholders filled.
    pub(super) fn fill(&self, text: &str) -> String {
        text.replace("{first}", self.first)
            .replace("{name}", self.name)
            .replace("{agent}", self.agent)
            .replace("{order}", self.order)
            .replace("{serial}", self.serial)
            .replace("{email}", self.email)
    }
}
