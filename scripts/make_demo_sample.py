"""Write the demo's sample stream: a week of Kalimantan Timur mentions about a dozen local issues.

All text here is written for pantau (no dataset text is copied). Deterministic: the same seed
gives the same files. Every row carries ``truth``, the key of the issue it belongs to (``null``
for chatter), which the importer ignores and the demo's quality check scores against. Run from
the repository root::

    .venv/bin/python scripts/make_demo_sample.py

It writes ``src/pantau/data/demo/{news,social,complaints}.jsonl``, which ``pantau demo`` imports
with the mapping files beside them, through the same importer a user's import takes.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "pantau" / "data" / "demo"
START = datetime(2026, 11, 20, 0, 0, tzinfo=UTC)  # Jumat 20 November 2026, 08.00 WITA
SEED = 64

FIRST = [
    "andi",
    "rina",
    "budi",
    "sari",
    "dedi",
    "yuni",
    "rahmat",
    "fitri",
    "agus",
    "nur",
    "eko",
    "wulan",
    "arif",
    "dewi",
    "hendra",
    "lina",
    "fajar",
    "maya",
    "irwan",
    "tika",
    "joko",
    "ayu",
    "rizky",
    "nadia",
    "bayu",
    "putri",
    "dimas",
    "intan",
    "yusuf",
    "sinta",
]
LAST = [
    "smd",
    "bpp",
    "kaltim",
    "etam",
    "borneo",
    "mahakam",
    "99",
    "_real",
    "official",
    "kukar",
    "07",
    "banua",
    "id",
    "2026",
    "ku",
]

NEWS_OUTLETS = [
    ("Kaltim Post", "local"),
    ("Tribun Kaltim", "local"),
    ("Samarinda Pos", "local"),
    ("Kaltim Today", "local"),
    ("Balikpapan Pos", "local"),
    ("Antara Kaltim", "national"),
    ("Kompas.com", "national"),
    ("Detik.com", "national"),
]

# Each issue: social posts (with slang and typos), complaints, news headlines with lead
# paragraphs, when it starts (hours after START), how long it lasts, how loud, and when news
# picks it up (hours after its first social post; None = stays on social media); "skew" > 1.6
# packs an acute issue's posts into its first hours.
ISSUES: list[dict] = [
    {
        "key": "banjir-samarinda",
        "skew": 3.0,  # acute: most posts in the first hours
        "start": 30,
        "hours": 90,
        "social": 75,
        "complaints": 10,
        "news_lag": 5,
        "news": 16,
        "places": [
            "Sempaja",
            "Bengkuring",
            "Jl. Pahlawan",
            "Air Hitam",
            "Griya Mukti",
            "Jl. DI Panjaitan",
            "Gunung Lingai",
        ],
        "posts": [
            "banjir lg di {p} samarinda, air udh selutut 😭 motor mogok smua",
            "Ya Allah {p} banjir parahhh, anak2 gak bisa sekolah hari ini",
            "hujan 2 jam aja {p} udah tenggelam. kapan sih drainase samarinda beres??",
            "BANJIR {p} SMD!!! hati2 yg mau lewat, jgn maksa lewat pakai motor",
            "rumah kami di {p} kemasukan air lagi, kasur basah semua. pemkot kmn?",
            "info: jalan di {p} gak bisa dilewati, arus air deras. cari jalan lain lur",
            "tiap tahun banjir terus di {p}, janji normalisasi sungai karang mumus cuma omong doang",
            "warga {p} butuh perahu karet & makanan siap saji, mohon bantuan relawan 🙏",
        ],
        "complaint": "Banjir di {p} Kota Samarinda sudah 2 hari belum surut, air masuk rumah "
        "warga dan saluran drainase tersumbat sampah. Mohon segera ditangani.",
        "headlines": [
            (
                "Banjir Rendam {p}, Ratusan Rumah Warga Samarinda Terdampak",
                "SAMARINDA - Hujan deras sejak dini hari membuat kawasan {p} dan sekitarnya "
                "terendam banjir setinggi lutut hingga pinggang orang dewasa. BPBD Kota Samarinda "
                "mencatat ratusan rumah terdampak dan membuka posko pengungsian.",
            ),
            (
                "Wali Kota Samarinda Tinjau Lokasi Banjir di {p}",
                "SAMARINDA - Wali Kota Samarinda meninjau lokasi banjir di {p} dan meminta dinas "
                "terkait mempercepat pengerukan drainase serta normalisasi Sungai Karang Mumus.",
            ),
            (
                "BPBD: Banjir Samarinda Mulai Surut, Warga Diminta Waspada Hujan Susulan",
                "SAMARINDA - Genangan di sejumlah titik termasuk {p} mulai surut. BPBD mengimbau "
                "warga tetap waspada karena BMKG memprakirakan hujan lebat masih berpeluang terjadi.",
            ),
        ],
    },
    {
        "key": "jalan-rusak-kutim",
        "start": 5,
        "hours": 150,
        "social": 40,
        "complaints": 22,
        "news_lag": 40,
        "news": 8,
        "places": [
            "poros Sangatta-Bontang",
            "Jl. Poros Muara Wahau",
            "Teluk Pandan",
            "Rantau Pulung",
            "jalan poros Kaubun",
        ],
        "posts": [
            "jalan {p} rusak parah, lubangnya kayak kolam ikan 🐟 tolong lah pemprov",
            "udh 3x ban bocor lewat {p}. jalan rusak bgt gk ada perbaikan",
            "truk batu bara bikin {p} hancur, warga yg nanggung. #KutimButuhJalan",
            "lewat {p} tadi malam gelap + lubang besar, hampir jatuh. ngeri bgt",
            "kapan jalan {p} diperbaiki? dari tahun lalu cuma ditambal doang",
        ],
        "complaint": "Kondisi jalan di {p} Kabupaten Kutai Timur rusak berat dan berlubang, "
        "sudah terjadi beberapa kecelakaan. Mohon perbaikan dari dinas PUPR.",
        "headlines": [
            (
                "Warga Keluhkan Jalan Rusak di {p} Kutai Timur",
                "SANGATTA - Warga mengeluhkan kerusakan jalan di {p} yang semakin parah akibat "
                "musim hujan dan lalu lintas kendaraan berat. Dinas PUPR Kutim menyatakan "
                "perbaikan masuk anggaran tahun depan.",
            ),
            (
                "DPRD Kutim Desak Perbaikan Jalan {p}",
                "SANGATTA - Anggota DPRD Kutai Timur mendesak pemerintah daerah dan perusahaan "
                "tambang ikut memperbaiki ruas {p} yang rusak dan membahayakan pengendara.",
            ),
        ],
    },
    {
        "key": "listrik-balikpapan",
        "skew": 3.0,  # acute: most posts in the first hours
        "start": 60,
        "hours": 40,
        "social": 55,
        "complaints": 8,
        "news_lag": 3,
        "news": 9,
        "places": [
            "Balikpapan Utara",
            "Gunung Samarinda",
            "Sepinggan",
            "Batu Ampar",
            "Balikpapan Baru",
            "Klandasan",
        ],
        "posts": [
            "mati lampu lagi di {p} 😤 udah 4 jam, pln gmn sih",
            "PLN tolong dong, {p} padam dari subuh, kulkas warung udah bau",
            "listrik byarpet terus di {p} bpp, laptop kerja jadi rusak",
            "pemadaman bergilir gak ada pemberitahuan di {p}. info dong min @pln123",
            "gelap gulita {p} malam ini, anak2 mau belajar gk bisa",
        ],
        "complaint": "Pemadaman listrik di {p} Balikpapan terjadi berulang tanpa pemberitahuan, "
        "merugikan usaha kecil warga. Mohon penjelasan dan jadwal pemadaman.",
        "headlines": [
            (
                "Pemadaman Listrik Meluas di {p}, PLN Sebut Gangguan Pembangkit",
                "BALIKPAPAN - Pemadaman listrik terjadi di {p} dan sejumlah kawasan lain di "
                "Balikpapan sejak Minggu pagi. PLN UP3 Balikpapan menyebut gangguan terjadi pada "
                "salah satu unit pembangkit dan meminta maaf kepada pelanggan.",
            ),
            (
                "PLN Janji Listrik Balikpapan Normal Malam Ini",
                "BALIKPAPAN - PLN menargetkan pasokan listrik di {p} dan wilayah terdampak lain "
                "kembali normal pada malam hari setelah perbaikan pembangkit rampung.",
            ),
        ],
    },
    {
        "key": "air-bersih",
        "start": 20,
        "hours": 120,
        "social": 35,
        "complaints": 18,
        "news_lag": 60,
        "news": 4,
        "places": ["Loa Bakung", "Palaran", "Sungai Kunjang", "Loa Janan Ilir", "Harapan Baru"],
        "posts": [
            "air pdam mati udah 3 hari di {p}, mandi pake air galon 😩",
            "air keruh kecoklatan di {p}, gak layak pakai. tolong dicek",
            "pdam {p} ngalir cuma jam 2 pagi, itu pun kecil bgt",
            "bayar tagihan air tepat waktu tp air gak ngalir di {p}. adil kah?",
        ],
        "complaint": "Air PDAM di {p} tidak mengalir selama beberapa hari dan ketika mengalir "
        "airnya keruh. Mohon perbaikan layanan air bersih.",
        "headlines": [
            (
                "Air PDAM Tak Mengalir di {p}, Perumdam Sebut Pipa Transmisi Bocor",
                "SAMARINDA - Warga {p} mengeluhkan air bersih yang tidak mengalir selama beberapa "
                "hari. Perumdam Tirta Kencana menyebut ada kebocoran pipa transmisi yang sedang "
                "diperbaiki dan menyiapkan mobil tangki.",
            ),
        ],
    },
    {
        "key": "tambang-ilegal-kukar",
        "skew": 3.0,  # acute: most posts in the first hours
        "start": 70,
        "hours": 70,
        "social": 45,
        "complaints": 6,
        "news_lag": 8,
        "news": 10,
        "places": ["Tenggarong Seberang", "Loa Kulu", "Sebulu", "Muara Badak", "Loa Janan"],
        "posts": [
            "tambang ilegal di {p} makin berani, alat berat keluar masuk siang bolong",
            "lubang bekas tambang di {p} makan korban lagi 😢 anak umur 12 thn tenggelam",
            "aparat kmn? koridor tambang ilegal di {p} udah jelas keliatan #SaveKaltim",
            "sawah warga {p} rusak kena limbah tambang batu bara, siapa yg tanggung jawab",
            "@jatamkaltim tolong kawal kasus lubang tambang di {p}",
        ],
        "complaint": "Ada aktivitas tambang batu bara tanpa izin di {p} Kutai Kartanegara, "
        "merusak jalan desa dan mencemari sungai. Mohon ditindak.",
        "headlines": [
            (
                "Anak Tewas Tenggelam di Lubang Bekas Tambang {p}",
                "TENGGARONG - Seorang anak ditemukan tewas tenggelam di kolam bekas tambang batu "
                "bara di {p}, Kutai Kartanegara. Polisi menyelidiki pemilik konsesi lubang tambang "
                "yang tidak direklamasi tersebut.",
            ),
            (
                "Polda Kaltim Selidiki Tambang Ilegal di {p}",
                "SAMARINDA - Polda Kaltim menurunkan tim untuk menyelidiki dugaan penambangan batu "
                "bara ilegal di {p} setelah laporan warga ramai di media sosial.",
            ),
            (
                "Gubernur Kaltim Minta Lubang Tambang di {p} Segera Direklamasi",
                "SAMARINDA - Gubernur Kalimantan Timur meminta dinas ESDM memastikan perusahaan "
                "mereklamasi lubang bekas tambang di {p} agar tidak ada korban berikutnya.",
            ),
        ],
    },
    {
        "key": "harga-cabai",
        "start": 10,
        "hours": 140,
        "social": 30,
        "complaints": 4,
        "news_lag": 20,
        "news": 7,
        "places": [
            "Pasar Segiri",
            "Pasar Pandansari",
            "Pasar Klandasan",
            "Pasar Merdeka",
            "Pasar Induk Sungai Dama",
        ],
        "posts": [
            "harga cabe di {p} tembus 120rb/kg 😱 emak2 menjerit",
            "beras naik lg di {p}, gaji gak naik2. gmn ini pak gub",
            "cabai rawit {p} skrg 110 ribu sekilo, kemarin masih 80",
            "pedagang {p} bilang pasokan dari sulawesi telat krn cuaca. harga naik trs",
        ],
        "complaint": "Harga cabai dan beras di {p} naik tajam dalam sepekan. Mohon operasi "
        "pasar dan pengawasan distribusi.",
        "headlines": [
            (
                "Harga Cabai Rawit di {p} Tembus Rp110.000 per Kilogram",
                "SAMARINDA - Harga cabai rawit di {p} naik tajam dalam sepekan terakhir. Dinas "
                "Perdagangan menyebut pasokan dari luar daerah terganggu cuaca buruk.",
            ),
            (
                "Pemprov Kaltim Gelar Operasi Pasar Tekan Harga Cabai dan Beras",
                "SAMARINDA - Pemerintah Provinsi Kalimantan Timur menggelar operasi pasar murah di "
                "{p} untuk menekan harga cabai dan beras yang terus naik.",
            ),
        ],
    },
    {
        "key": "spmb-zonasi",
        "start": 100,
        "hours": 50,
        "social": 28,
        "complaints": 9,
        "news_lag": None,
        "news": 0,
        "places": [
            "SMA Negeri 1 Samarinda",
            "SMAN 5 Balikpapan",
            "SMA Negeri 3 Samarinda",
            "SMAN 1 Bontang",
        ],
        "posts": [
            "anak sy gak keterima di {p} pdhl rumah 500 meter, yg jauh malah masuk. zonasi apaan",
            "sistem SPMB error trs, server down pas daftar {p} 😤",
            "ada titip2an kursi di {p}? banyak ortu curiga nih",
            "tolong transparansi kuota {p}, jgn ada main belakang",
        ],
        "complaint": "Anak kami tidak diterima di {p} padahal jarak rumah dekat, sementara "
        "pendaftar yang lebih jauh diterima. Mohon verifikasi data zonasi.",
        "headlines": [],
    },
    {
        "key": "karhutla",
        "skew": 3.0,  # acute: most posts in the first hours
        "start": 115,
        "hours": 50,
        "social": 35,
        "complaints": 5,
        "news_lag": 6,
        "news": 8,
        "places": ["Muara Kaman", "Kota Bangun", "Long Kali", "Tanah Grogot", "Samboja"],
        "posts": [
            "asap kebakaran lahan dari arah {p} tebal bgt, mata perih 😷",
            "titik api di {p} makin banyak, pemadam kewalahan",
            "kabut asap {p} bikin anak batuk2, sekolah diliburin gak sih?",
            "lahan gambut di {p} terbakar lg. tiap kemarau sama aja",
        ],
        "complaint": "Kebakaran lahan di {p} menimbulkan asap tebal hingga permukiman. Mohon "
        "bantuan pemadaman dan pembagian masker.",
        "headlines": [
            (
                "Kebakaran Lahan di {p} Meluas, BPBD Kerahkan Tim Pemadam",
                "TENGGARONG - Kebakaran hutan dan lahan di {p} meluas hingga puluhan hektare. BPBD "
                "mengerahkan tim gabungan bersama Manggala Agni untuk memadamkan api.",
            ),
            (
                "Kabut Asap Selimuti {p}, Warga Diimbau Pakai Masker",
                "SAMARINDA - Kualitas udara di sekitar {p} memburuk akibat kebakaran lahan. Dinas "
                "Kesehatan mengimbau warga mengenakan masker saat beraktivitas di luar rumah.",
            ),
        ],
    },
    {
        "key": "ikn-sepaku",
        "start": 40,
        "hours": 110,
        "social": 40,
        "complaints": 6,
        "news_lag": 30,
        "news": 6,
        "places": ["Sepaku", "Pemaluan", "Bumi Harapan", "Penajam", "Mentawir"],
        "posts": [
            "warga {p} blm dpt ganti rugi lahan proyek IKN, sampai kapan nunggu?",
            "debu truk proyek IKN di {p} parah, rumah jadi coklat semua",
            "air sungai di {p} keruh sejak ada proyek jalan tol IKN",
            "IKN megah tp jalan kampung {p} masih tanah merah. ironis",
        ],
        "complaint": "Warga {p} Penajam Paser Utara belum menerima kompensasi lahan yang "
        "terdampak pembangunan IKN. Mohon kejelasan dari Otorita IKN.",
        "headlines": [
            (
                "Warga {p} Tagih Kejelasan Ganti Rugi Lahan IKN",
                "PENAJAM - Puluhan warga {p} mendatangi kantor kecamatan menagih kejelasan ganti "
                "rugi lahan yang terdampak pembangunan Ibu Kota Nusantara.",
            ),
            (
                "Otorita IKN Janji Selesaikan Sengketa Lahan Warga {p}",
                "PENAJAM - Otorita Ibu Kota Nusantara menyatakan akan menyelesaikan persoalan lahan "
                "warga {p} melalui verifikasi ulang bersama pemerintah kabupaten.",
            ),
        ],
        "campaign": "IKN cuma buat pejabat, rakyat {p} digusur tanpa ganti rugi! Viralkan "
        "#TolakPenggusuranIKN sebelum dihapus!!!",
    },
    {
        "key": "jembatan-mahakam",
        "skew": 3.0,  # acute: most posts in the first hours
        "start": 135,
        "hours": 30,
        "social": 30,
        "complaints": 0,
        "news_lag": 2,
        "news": 7,
        "places": ["Jembatan Mahakam", "Jembatan Mahakam Ulu", "Jembatan Mahkota II"],
        "posts": [
            "tongkang batu bara nabrak {p} lagi!! ini udah keberapa kali 😡",
            "{p} ditutup sementara abis ditabrak kapal, macet parah smpe loa janan",
            "ngeri lewat {p} skrg, katanya pilar retak habis ketabrak",
        ],
        "complaint": "",
        "headlines": [
            (
                "Kapal Tongkang Tabrak {p}, Lalu Lintas Ditutup Sementara",
                "SAMARINDA - Sebuah kapal tongkang pengangkut batu bara menabrak pilar {p} pada "
                "Kamis malam. Dinas Perhubungan menutup sementara jembatan untuk pemeriksaan "
                "struktur.",
            ),
            (
                "KSOP Samarinda Selidiki Insiden Tongkang Tabrak {p}",
                "SAMARINDA - KSOP Samarinda memeriksa nakhoda dan pemilik tongkang yang menabrak "
                "{p} serta mengevaluasi aturan pemanduan kapal di Sungai Mahakam.",
            ),
        ],
    },
    {
        "key": "festival-erau",
        "start": 80,
        "hours": 60,
        "social": 25,
        "complaints": 0,
        "news_lag": 1,
        "news": 5,
        "places": ["Tenggarong", "Pulau Kumala", "Museum Mulawarman"],
        "posts": [
            "seru bgt festival erau di {p} tahun ini! budaya kutai keren 😍",
            "bangga jadi org kukar, erau di {p} rame turis mancanegara",
            "mantap pemkab, acara erau {p} tertib dan bersih 👍",
        ],
        "complaint": "",
        "headlines": [
            (
                "Festival Erau di {p} Dibanjiri Wisatawan",
                "TENGGARONG - Ribuan wisatawan domestik dan mancanegara memadati {p} untuk "
                "menyaksikan Festival Erau, tradisi Kesultanan Kutai Kartanegara Ing Martadipura.",
            ),
        ],
    },
    # Two issues of early November, already handled and closed by the demo (`pantau demo`
    # closes every issue quiet for a week with its action log and lessons learned): the
    # past cases that the new flood and the new fires draw on.
    {
        "key": "banjir-samarinda-awal-november",
        "skew": 3.0,  # acute: most posts in the first hours
        "start": -430,
        "hours": 40,
        "social": 28,
        "complaints": 5,
        "news_lag": 4,
        "news": 6,
        "places": ["Sempaja", "Bengkuring", "Temindung", "Jl. Pahlawan"],
        "posts": [
            "hujan dari subuh, {p} samarinda banjir lagi. air masuk rumah 😭",
            "banjir {p} makin tinggi, warga mulai ngungsi ke masjid",
            "jalan {p} tergenang banjir, motor banyak yg mogok",
            "banjir {p} lagi2, drainase tersumbat sampah. pemkot tolong",
        ],
        "complaint": "Banjir di {p} Samarinda merendam rumah warga sejak pagi, mohon bantuan "
        "evakuasi lansia dan pembersihan saluran air.",
        "headlines": [
            (
                "Hujan Deras, Kawasan {p} Samarinda Terendam Banjir",
                "SAMARINDA - Hujan deras sejak subuh membuat kawasan {p} terendam banjir. BPBD "
                "Kota Samarinda mengevakuasi warga lanjut usia dan membuka dapur umum.",
            ),
        ],
    },
    {
        "key": "karhutla-akhir-oktober",
        "skew": 3.0,  # acute: most posts in the first hours
        "start": -560,
        "hours": 36,
        "social": 20,
        "complaints": 3,
        "news_lag": 6,
        "news": 4,
        "places": ["Tanah Grogot", "Kuaro", "Long Ikis"],
        "posts": [
            "kebakaran lahan dekat {p}, asap masuk rumah 😷",
            "titik api di {p} belum padam, asapnya sampai ke kota",
            "lahan di {p} terbakar, udara pengap bgt",
        ],
        "complaint": "Kebakaran lahan di sekitar {p} Kabupaten Paser menimbulkan asap ke "
        "permukiman warga. Mohon pemadaman segera.",
        "headlines": [
            (
                "Kebakaran Lahan di {p} Paser, Tim Gabungan Padamkan Api",
                "TANA PASER - Kebakaran lahan terjadi di {p}. Tim gabungan BPBD Paser dan "
                "Manggala Agni memadamkan api yang membakar belasan hektare semak belukar.",
            ),
        ],
    },
]

NOISE = [
    "selamat pagi samarinda ☀️ semangat kerja",
    "ada yg tau warung soto enak di balikpapan?",
    "macet biasa di simpang lembuswana sore ini",
    "nonton bola bareng dimana ya malam ini bpp",
    "alhamdulillah hujan, adem bgt hari ini",
    "info loker samarinda dong gaes",
    "kopi susu gula aren di tepian mahakam mantap",
]

#: Hostile inputs, each (text, the issue it speaks of): markup does not change the topic.
HOSTILE = [
    ("<script>alert(1)</script> banjir di sempaja makin parah, cek link ini", "banjir-samarinda"),
    ("jalan rusak kutim <img src=x onerror=alert(1)> parah bgt", "jalan-rusak-kutim"),
    ('<a href="javascript:alert(1)">klik info PLN</a> pemadaman bpp', "listrik-balikpapan"),
    ('"><svg onload=alert(1)> harga cabai pasar segiri naik', "harga-cabai"),
]


def _author(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)}{rng.choice(LAST)}"


def _when(rng: random.Random, start_h: float, hours: float, skew: float = 1.6) -> datetime:
    # Skewed towards the start: issues flare up, then fade.
    frac = rng.random() ** skew
    return START + timedelta(hours=start_h + frac * hours, minutes=rng.randint(0, 59))


def _iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def build(seed: int = SEED) -> dict[str, list[dict]]:
    rng = random.Random(seed)
    news: list[dict] = []
    social: list[dict] = []
    complaints: list[dict] = []
    n = 0
    for issue in ISSUES:
        for _ in range(issue["social"]):
            n += 1
            t = _when(rng, issue["start"], issue["hours"], issue.get("skew", 1.6))
            place = rng.choice(issue["places"])
            social.append(
                {
                    "id": f"s{n}",
                    "author": _author(rng),
                    "followers": int(rng.paretovariate(1.2) * 150),
                    "text": rng.choice(issue["posts"]).format(p=place),
                    "time": _iso(t),
                    "likes": int(rng.expovariate(1 / 25)),
                    "shares": int(rng.expovariate(1 / 6)),
                    "replies": int(rng.expovariate(1 / 4)),
                    "platform": rng.choice(["x", "facebook", "instagram", "tiktok"]),
                    "truth": issue["key"],
                }
            )
        if issue.get("campaign"):
            burst = START + timedelta(hours=issue["start"] + 20)
            place = issue["places"][0]
            for k in range(18):  # copy-paste accounts, minutes apart
                n += 1
                social.append(
                    {
                        "id": f"s{n}",
                        "author": f"akun_{rng.randint(1000, 9999)}",
                        "followers": rng.randint(3, 40),
                        "text": issue["campaign"].format(p=place),
                        "time": _iso(burst + timedelta(minutes=2 * k)),
                        "likes": rng.randint(0, 3),
                        "shares": rng.randint(5, 30),
                        "replies": 0,
                        "platform": "x",
                        "truth": issue["key"],
                    }
                )
        for _ in range(issue["complaints"]):
            n += 1
            t = _when(rng, issue["start"] + 2, issue["hours"])
            place = rng.choice(issue["places"])
            complaints.append(
                {
                    "id": f"LAP-2611{n:05d}",
                    "author": "Pelapor anonim",
                    "text": issue["complaint"].format(p=place),
                    "time": _iso(t),
                    "category": issue["key"],
                    "truth": issue["key"],
                }
            )
        if issue["news_lag"] is not None:
            for j in range(issue["news"]):
                n += 1
                head, lead = issue["headlines"][j % len(issue["headlines"])]
                place = rng.choice(issue["places"])
                t = _when(
                    rng, issue["start"] + issue["news_lag"], issue["hours"] - issue["news_lag"]
                )
                outlet, tier = rng.choice(NEWS_OUTLETS)
                slug = head.format(p=place).lower().replace(" ", "-").replace(",", "")[:70]
                news.append(
                    {
                        "id": f"n{n}",
                        "url": f"https://berita.example/{issue['key']}/{n}/{slug}",
                        "title": head.format(p=place),
                        "text": lead.format(p=place),
                        "time": _iso(t),
                        "outlet": outlet,
                        "tier": tier,
                        "author": f"Redaksi {outlet}",
                        "truth": issue["key"],
                    }
                )
    for k in range(40):
        n += 1
        t = START + timedelta(hours=rng.uniform(0, 168))
        social.append(
            {
                "id": f"s{n}",
                "author": _author(rng),
                "followers": rng.randint(10, 900),
                "text": rng.choice(NOISE),
                "time": _iso(t),
                "likes": rng.randint(0, 20),
                "shares": 0,
                "replies": rng.randint(0, 3),
                "platform": "x",
                "truth": None,  # chatter: belongs to no issue
            }
        )
    for k, (text, truth) in enumerate(HOSTILE):
        n += 1
        t = START + timedelta(hours=40 + 10 * k)
        social.append(
            {
                "id": f"s{n}",
                "author": "<b>troll</b>",
                "followers": 5,
                "text": text,
                "time": _iso(t),
                "likes": 0,
                "shares": 0,
                "replies": 0,
                "platform": "x",
                "truth": truth,
            }
        )
    n += 1  # one huge text: cut at max_text_chars with a recorded reason
    social.append(
        {
            "id": f"s{n}",
            "author": "spammer",
            "followers": 1,
            "text": "promo slot gacor samarinda " * 9000,
            "time": _iso(START + timedelta(hours=77)),
            "likes": 0,
            "shares": 0,
            "replies": 0,
            "platform": "x",
            "truth": None,
        }
    )
    n += 1  # mojibake from a broken export: kept, shown as text
    social.append(
        {
            "id": f"s{n}",
            "author": "ekspor_rusak",
            "followers": 12,
            "text": "Ã¢â‚¬Å“banjir sempajaÃ¢â‚¬Â\x9d parah \ufffd\ufffd",
            "time": _iso(START + timedelta(hours=50)),
            "likes": 0,
            "shares": 0,
            "replies": 0,
            "platform": "facebook",
            "truth": "banjir-samarinda",
        }
    )
    for rows in (news, social, complaints):
        rows.sort(key=lambda r: (r["time"], r["id"]))
    return {"news": news, "social": social, "complaints": complaints}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    data = build()
    for name, rows in data.items():
        with (OUT / f"{name}.jsonl").open("wb") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False).encode("utf-8") + b"\n")
            if name == "social":
                # Broken lines a real export can hold: invalid UTF-8, cut JSON, missing text.
                fh.write(
                    b'{"id": "bad1", "text": "air pdam mati \xff\xfe", "time": "2026-11-22T01:00:00Z"}\n'
                )
                fh.write(b'{"id": "bad2", "text": "listrik padam di\n')
                fh.write(b'{"id": "bad3", "author": "x", "time": "2026-11-22T02:00:00Z"}\n')
    total = sum(len(v) for v in data.values())
    print(f"wrote {total} mentions to {OUT}")


if __name__ == "__main__":
    main()
