"""Indonesian news feeds and article pages, written for these tests in the markup of real sites.

Five outlets, each with its own feed dialect and article template (Kompas, Detik, Tribun Kaltim,
a WordPress local paper, Antara), plus an Atom feed and a Google News sitemap. All text is
invented for the tests; names of places are real Kalimantan Timur regions.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from tests.ingest.httpserver import NewsServer, Route


@dataclass
class Story:
    slug: str
    title: str
    paragraphs: tuple[str, ...]
    feed_date: str  # as the outlet's feed writes it
    page_date: str  # as the outlet's page shows it
    expected_utc: str  # ISO of the publication time in UTC


P_BANJIR = (
    "Banjir kembali merendam sejumlah kelurahan di Kota Samarinda setelah hujan deras mengguyur "
    "sejak dini hari. Air di Jalan DI Panjaitan dan Sempaja setinggi lutut orang dewasa.",
    "Kepala BPBD Samarinda mengatakan petugas telah disiagakan di titik-titik rawan dan perahu "
    "karet disiapkan untuk mengevakuasi warga lanjut usia bila air terus naik hingga sore hari.",
    "Warga berharap pemerintah kota mempercepat normalisasi Sungai Karang Mumus. Menurut mereka, "
    "banjir serupa sudah terjadi tiga kali sejak awal tahun dan merusak perabot rumah tangga.",
)
P_JALAN = (
    "Ruas jalan poros Kutai Barat menuju Mahakam Ulu rusak parah setelah musim hujan. Sopir truk "
    "logistik mengaku harus menginap di tengah jalan karena kendaraan terperosok lumpur.",
    "Dinas Pekerjaan Umum Provinsi Kalimantan Timur menyatakan perbaikan dijadwalkan pada "
    "triwulan berikutnya, menunggu proses lelang yang kini masih berjalan di unit pengadaan.",
    "Harga kebutuhan pokok di Mahakam Ulu dilaporkan naik karena pasokan tersendat. Beras dan "
    "minyak goreng dijual lebih mahal dibanding pekan lalu menurut pedagang di Ujoh Bilang.",
)
P_MBG = (
    "Program makan bergizi gratis mulai dibagikan di sekolah dasar di Balikpapan. Sebanyak dua "
    "ribu siswa menerima paket makan siang yang disiapkan dapur umum milik mitra pemerintah.",
    "Sejumlah orang tua mempertanyakan porsi dan menu yang dinilai kurang bervariasi. Dinas "
    "Pendidikan berjanji mengevaluasi menu bersama ahli gizi dari puskesmas setempat.",
    "Wali kota meminta sekolah melaporkan setiap keluhan melalui kanal pengaduan resmi agar bisa "
    "ditindaklanjuti dengan cepat dan tidak menjadi polemik di media sosial.",
)
P_KARHUTLA = (
    "Titik panas terpantau di wilayah Kutai Kartanegara dan Penajam Paser Utara. Satgas "
    "karhutla bersama Manggala Agni melakukan pemadaman darat di lahan gambut seluas lima hektare.",
    "Kabut asap tipis mulai dirasakan warga Tenggarong pada pagi hari. Dinas Kesehatan "
    "mengimbau warga mengurangi aktivitas di luar rumah dan menggunakan masker.",
    "Gubernur meminta bupati dan wali kota menetapkan siaga darurat bila jumlah titik panas "
    "terus bertambah dalam tiga hari ke depan, sesuai prakiraan cuaca dari BMKG.",
)
P_IKN = (
    "Pembangunan jalan tol menuju Ibu Kota Nusantara memasuki tahap akhir. Kementerian PUPR "
    "menargetkan seksi Balikpapan hingga Penajam dapat dilalui kendaraan pada akhir tahun.",
    "Warga Penajam Paser Utara yang lahannya terdampak menanyakan kejelasan ganti rugi. "
    "Sebagian mengaku belum menerima pembayaran meski tanah sudah diukur sejak tahun lalu.",
    "Pemerintah kabupaten membuka posko pengaduan untuk menampung keluhan warga terkait "
    "pembebasan lahan dan berjanji meneruskannya kepada panitia pengadaan tanah.",
)
P_AIR = (
    "Pelanggan Perumda Air Minum di Bontang mengeluhkan air keruh selama sepekan terakhir. "
    "Keluhan ramai disampaikan warga melalui media sosial dan kanal pengaduan pemerintah kota.",
    "Direktur perumda menjelaskan kekeruhan terjadi karena intake air baku tercemar lumpur "
    "setelah hujan deras, dan pengolahan tambahan sedang dilakukan di instalasi pengolahan.",
    "Pemerintah kota meminta perumda memberi kompensasi kepada pelanggan yang terdampak dan "
    "menyampaikan informasi jadwal normalisasi secara terbuka kepada masyarakat.",
)

STORIES = {
    "kompas": [
        Story("read/2024/09/24/140500078/banjir-rendam-samarinda", "Banjir Rendam Samarinda",
              P_BANJIR, "Sel, 24 Sep 2024 14:05:00 +0800", "24/09/2024, 14:05 WITA",
              "2024-09-24T06:05:00+00:00"),
    ],
    "detik": [
        Story("kalimantan/berita/d-7555001/jalan-poros-kubar-rusak", "Jalan Poros Kubar Rusak",
              P_JALAN, "Rabu, 25 Sep 2024 09:30:00 +0700", "Rabu, 25 Sep 2024 09:30 WIB",
              "2024-09-25T02:30:00+00:00"),
    ],
    "tribun": [
        Story("2024/09/26/makan-bergizi-gratis-balikpapan", "Makan Bergizi Gratis di Balikpapan",
              P_MBG, "Kamis, 26 September 2024 10:15 WITA", "Kamis, 26 September 2024 10:15 WITA",
              "2024-09-26T02:15:00+00:00"),
    ],
    "kaltimpost": [
        Story("2024/09/27/titik-panas-kukar-ppu", "Titik Panas di Kukar dan PPU", P_KARHUTLA,
              "Jumat, 27 Sep 2024 08:00:00 +0800", "Jumat, 27 September 2024 - 08.00 WITA",
              "2024-09-27T00:00:00+00:00"),
    ],
    "antara": [
        Story("berita/2024/09/28/ganti-rugi-tol-ikn", "Warga PPU Tanyakan Ganti Rugi Tol IKN",
              P_IKN, "Sabtu, 28 Sep 2024 16:45:00 +0800", "Sabtu, 28 September 2024 16:45 WITA",
              "2024-09-28T08:45:00+00:00"),
    ],
    "bontangpost": [
        Story("2024/09/29/air-keruh-bontang", "Air Keruh di Bontang", P_AIR,
              "2024-09-29T07:20:00+08:00", "Minggu, 29 September 2024 07:20 WITA",
              "2024-09-28T23:20:00+00:00"),
    ],
}  # fmt: skip


def _paras(story: Story) -> str:
    return "\n".join(f"<p>{escape(p)}</p>" for p in story.paragraphs)


def kompas_page(story: Story, canonical: str) -> str:
    return f"""<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">
<title>{escape(story.title)} - Kompas.com</title>
<link rel="canonical" href="{canonical}">
<meta name="content_PublishedDate" content="2024-09-24 13:05:00">
<meta property="og:title" content="{escape(story.title)}"></head><body>
<nav class="nav"><a href="/">Beranda</a> <a href="/regional">Regional</a></nav>
<div class="read__header"><h1 class="read__title">{escape(story.title)}</h1>
<div class="read__time">Kompas.com - {story.page_date}</div></div>
<div class="read__content"><div class="clearfix">
<p><strong>SAMARINDA, KOMPAS.com</strong> - {escape(story.paragraphs[0])}</p>
{"".join(f"<p>{escape(p)}</p>" for p in story.paragraphs[1:])}
<p>Baca juga: <a href="/read/lain">Berita lain</a></p></div></div>
<footer>Copyright 2008 - 2024 PT. Kompas Cyber Media</footer></body></html>"""


def detik_page(story: Story, canonical: str) -> str:
    return f"""<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">
<title>{escape(story.title)}</title><link rel="canonical" href="{canonical}">
<meta name="dtk:publishdate" content="2024/09/25 09:30:00"></head><body>
<article class="detail"><div class="detail__header"><h1 class="detail__title">
{escape(story.title)}</h1><div class="detail__date">{story.page_date}</div></div>
<div class="detail__body-text itp_bodycontent">
<strong>Kutai Barat</strong> - {_paras(story)}
<div class="parallaxindetail">ADVERTISEMENT</div></div></article></body></html>"""


def tribun_page(story: Story, canonical: str) -> str:
    return f"""<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">
<title>{escape(story.title)} - Tribunkaltim.co</title><link rel="canonical" href="{canonical}">
</head><body><div id="article"><h1 id="arttitle">{escape(story.title)}</h1>
<time class="grey">{story.page_date}</time>
<div class="side-article txt-article multi-fontsize">
<p><strong>TRIBUNKALTIM.CO, BALIKPAPAN</strong> - {escape(story.paragraphs[0])}</p>
{"".join(f"<p>{escape(p)}</p>" for p in story.paragraphs[1:])}
<p><em>Ikuti berita populer lainnya di Google News Tribunkaltim.co</em></p></div></div>
</body></html>"""


def wordpress_page(story: Story, canonical: str) -> str:
    return f"""<!DOCTYPE html><html lang="id-ID"><head><meta charset="UTF-8">
<title>{escape(story.title)} &#8211; Kaltim Post</title><link rel="canonical" href="{canonical}">
<meta property="og:title" content="{escape(story.title)}"></head><body class="single-post">
<header id="masthead"><div class="site-title">Kaltim Post</div></header>
<main id="main"><article class="post type-post"><h1 class="entry-title">{escape(story.title)}</h1>
<div class="entry-meta"><span class="posted-on">{story.page_date}</span></div>
<div class="entry-content">{_paras(story)}</div></article></main>
<aside class="widget-area"><p>Berita terpopuler minggu ini ada di kolom samping ini.</p></aside>
</body></html>"""


def antara_page(story: Story, canonical: str) -> str:
    return f"""<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">
<title>{escape(story.title)} - ANTARA News Kalimantan Timur</title>
<link rel="canonical" href="{canonical}"></head><body>
<div class="wrap__article-detail"><h1 class="post-title">{escape(story.title)}</h1>
<span class="article-date">{story.page_date}</span>
<div class="post-content clearfix">{_paras(story)}
<p class="text-muted mt-2 small">Pewarta: Tim Antara<br>Editor: Redaksi</p></div></div>
</body></html>"""


def rss(title: str, link: str, items: list[tuple[Story, str]], *, summary: bool = True) -> str:
    body = "".join(
        f"""<item><title>{escape(s.title)}</title><link>{escape(url)}</link>
<guid isPermaLink="true">{escape(url)}</guid><pubDate>{s.feed_date}</pubDate>
<description><![CDATA[{s.paragraphs[0] if summary else ""}]]></description></item>"""
        for s, url in items
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>{escape(title)}</title><link>{link}</link><language>id</language>{body}</channel></rss>"""


def atom(title: str, link: str, items: list[tuple[Story, str]]) -> str:
    entries = "".join(
        f"""<entry><title>{escape(s.title)}</title><link rel="alternate" href="{escape(url)}"/>
<id>{escape(url)}</id><published>{s.feed_date}</published><updated>{s.feed_date}</updated>
<summary>{escape(s.paragraphs[0])}</summary></entry>"""
        for s, url in items
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>{escape(title)}</title>
<link href="{link}"/><id>{link}</id><updated>2024-09-29T07:20:00+08:00</updated>{entries}</feed>"""


def news_sitemap(items: list[tuple[Story, str]], outlet: str) -> str:
    urls = "".join(
        f"""<url><loc>{escape(url)}</loc><news:news><news:publication><news:name>{outlet}</news:name>
<news:language>id</news:language></news:publication>
<news:publication_date>{s.expected_utc}</news:publication_date>
<news:title>{escape(s.title)}</news:title></news:news></url>"""
        for s, url in items
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>"""


PAGES = {
    "kompas": kompas_page,
    "detik": detik_page,
    "tribun": tribun_page,
    "kaltimpost": wordpress_page,
    "antara": antara_page,
    "bontangpost": wordpress_page,
}
FEED_TITLES = {
    "kompas": "Kompas.com - Regional",
    "detik": "detikKalimantan",
    "tribun": "Tribunkaltim.co",
    "kaltimpost": "Kaltim Post",
    "antara": "ANTARA News Kalimantan Timur",
    "bontangpost": "Bontang Post",
}


def install(server: NewsServer) -> dict[str, str]:
    """Put every outlet's feed and article pages on ``server``; returns outlet -> feed path."""
    feeds: dict[str, str] = {}
    for outlet, stories in STORIES.items():
        items = []
        for story in stories:
            path = f"/{outlet}/{story.slug}"
            canonical = server.url(path)
            html = PAGES[outlet](story, canonical)
            server.routes[path] = Route(html.encode("utf-8"))
            items.append((story, canonical + "?utm_source=rss&utm_medium=feed"))
        feed_path = f"/{outlet}/feed"
        if outlet == "bontangpost":
            doc = atom(FEED_TITLES[outlet], server.url(f"/{outlet}/"), items)
            server.routes[feed_path] = Route(doc.encode(), "application/atom+xml; charset=utf-8")
        else:
            doc = rss(FEED_TITLES[outlet], server.url(f"/{outlet}/"), items)
            server.routes[feed_path] = Route(doc.encode(), "application/rss+xml; charset=utf-8")
        feeds[outlet] = feed_path
    return feeds
