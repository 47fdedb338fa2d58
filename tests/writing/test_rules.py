"""Each rule on small passages: what it finds, where, and the safe fix it offers."""

from __future__ import annotations

import pytest

from pantau.writing import DictionaryMissing, Severity, fix, lint
from pantau.writing.spelling import load_speller, speller

LEAD = (
    "SAMARINDA - Pemerintah Kota Samarinda membuka posko banjir di Sempaja, Selasa (24/9/2024).\n"
)


def rules_of(text: str, **kwargs: object) -> list[str]:
    return [f.rule for f in lint(text, **kwargs)]  # type: ignore[arg-type]


def release(body: str) -> str:
    return "Posko Banjir Dibuka\n" + LEAD + body + "\n"


def test_indonesian_dictionary_is_installed() -> None:
    # hunspell-id must be present (CI installs it); spelling is never silently skipped.
    words = speller()
    assert words.check("pemerintah")
    assert not words.check("pemerinatah")


def test_missing_dictionary_is_reported_clearly() -> None:
    with pytest.raises(DictionaryMissing, match="hunspell-id"):
        load_speller("zz_ZZ")


def test_a_clean_release_has_no_findings() -> None:
    text = release('"Posko buka 24 jam," ujar Kepala BPBD Samarinda Suwarso Hadi.')
    assert lint(text) == []


@pytest.mark.parametrize(
    ("body", "rule", "fixed"),
    [
        ("Bantuan Rp. 5.000 per orang.", "eyd.rupiah", "Bantuan Rp5.000 per orang."),
        ("Bantuan Rp 5.000 per orang.", "eyd.rupiah", "Bantuan Rp5.000 per orang."),
        ("Harga Rp10.000,- per paket.", "eyd.rupiah", "Harga Rp10.000 per paket."),
        ("Petugas berjaga dikantor camat.", "eyd.di_pisah", "Petugas berjaga di kantor camat."),
        ("Rapat digelar diSamarinda.", "eyd.di_pisah", "Rapat digelar di Samarinda."),
        ("Jalan itu di bangun tahun lalu.", "eyd.di_sambung", "Jalan itu dibangun tahun lalu."),
        ("Rapat mulai pukul 13:20 WITA.", "eyd.waktu", "Rapat mulai pukul 13.20 WITA."),
        ("Rapat mulai pukul 13.20 Wita.", "eyd.waktu", "Rapat mulai pukul 13.20 WITA."),
        ("Rapat mulai jam 09.00 WITA.", "eyd.waktu", "Rapat mulai pukul 09.00 WITA."),
        ("Petugas mendata 3 desa.", "eyd.angka_huruf", "Petugas mendata tiga desa."),
        ("Silahkan melapor ke posko.", "ejaan.baku", "Silakan melapor ke posko."),
        ("Risiko banjir dan resiko longsor.", "ejaan.baku", "Risiko banjir dan risiko longsor."),
        ("Ini adalah merupakan prioritas.", "keterbacaan.boros", "Ini merupakan prioritas."),
        ("Warga diminta ikut, kata gubernur Kaltim.", "eyd.kapital_jabatan",
         "Warga diminta ikut, kata Gubernur Kaltim."),
        ("Rapat dihadiri para Camat se-Kaltim dan para Kepala desa.", "eyd.kapital_jabatan",
         "Rapat dihadiri para Camat se-Kaltim dan para kepala desa."),
    ],
)  # fmt: skip
def test_rule_finds_and_fixes(body: str, rule: str, fixed: str) -> None:
    text = release(body)
    found = lint(text)
    assert rule in [f.rule for f in found]
    assert fix(text, found) == release(fixed)


def test_offsets_point_at_the_offending_text() -> None:
    text = release("Warga silahkan melapor. Bantuan Rp. 5.000 per orang.")
    spans = {f.rule: text[f.start : f.end] for f in lint(text)}
    assert spans["ejaan.baku"] == "silahkan"
    assert spans["eyd.rupiah"] == "Rp. "


def test_headline_rules() -> None:
    assert "struktur.judul" in rules_of(LEAD + "Petugas berjaga.\n")
    long_title = " ".join(["Kata"] * 13) + "\n" + LEAD
    assert "struktur.judul" in rules_of(long_title)
    found = [f for f in lint("Posko Dibuka.\n" + LEAD) if f.rule == "struktur.judul"]
    assert found and found[0].severity == Severity.WARNING


def test_missing_headline_is_an_error_and_short_notes_are_not_releases() -> None:
    found = [f for f in lint(LEAD) if f.rule == "struktur.judul"]
    assert [f.severity for f in found] == [Severity.ERROR]
    assert lint("Catatan rapat.") == []


def test_dateline_forms() -> None:
    assert fix("Judul\nSamarinda - " + LEAD[12:], lint("Judul\nSamarinda - " + LEAD[12:])) == (
        "Judul\n" + LEAD
    )
    comma = "Judul\nSamarinda, Selasa (24/9/2024) - Pemerintah membuka posko di Sempaja.\n"
    found = [f for f in lint(comma) if f.rule == "struktur.dateline"]
    assert found and found[0].fix is None  # dropping the date is not a safe fix


def test_lead_length_and_elements() -> None:
    long_lead = "Judul\nSAMARINDA - " + " ".join(["Warga mengungsi di Sempaja hari ini."] * 4)
    assert "struktur.lead_panjang" in rules_of(long_lead)
    vague = "Judul\nSAMARINDA - Pemerintah membuka posko banjir untuk melayani warga terdampak.\n"
    messages = [f.message for f in lint(vague) if f.rule == "struktur.lead_unsur"]
    assert messages and "kapan" in messages[0] and "di mana" in messages[0]


def test_day_date_form_and_calendar() -> None:
    text = release("Rapat digelar Senin, 23/09/2024 dan Rabu (24/9/2024).")
    found = lint(text)
    assert [text[f.start : f.end] for f in found if f.rule == "struktur.hari_tanggal"] == [
        "Senin, 23/09/2024"
    ]
    wrong = [f for f in found if f.rule == "struktur.hari_tanggal_cocok"]
    assert [w.suggestion for w in wrong] == ["Selasa (24/9/2024)"]
    assert wrong[0].severity == Severity.ERROR


def test_quotes_need_a_speaker_with_full_name_and_position() -> None:
    text = release('"Kami siaga penuh sepanjang malam ini."\n"Posko buka," ujar Budi.')
    assert {"struktur.kutipan_atribusi", "struktur.nama_jabatan"} <= set(rules_of(text))
    later = release(
        '"Posko buka," ujar Kepala BPBD Samarinda Suwarso Hadi.\n"Warga aman," kata Suwarso.'
    )
    assert "struktur.nama_jabatan" not in rules_of(later)


def test_repeated_sentence_and_long_paragraph() -> None:
    text = release("Posko dibuka di halaman kelurahan. Posko dibuka di halaman kelurahan.")
    assert rules_of(text).count("struktur.kalimat_berulang") == 1
    wall = release(" ".join(["Petugas mendata rumah warga yang rusak."] * 14))
    assert "struktur.paragraf_panjang" in rules_of(wall)


def test_ethics_rules() -> None:
    child = release("Seorang siswa, Budi Santoso (12), hanyut terbawa arus.")
    assert "etika.identitas_anak" in rules_of(child)
    adult = release("Seorang warga, Budi Santoso (45), hanyut terbawa arus.")
    assert "etika.identitas_anak" not in rules_of(adult)
    rumour = release("Kabarnya tanggul jebol karena sabotase.")
    assert "etika.belum_terverifikasi" in rules_of(rumour)
    hedged = release("Kabar yang beredar soal sabotase masih didalami petugas.")
    assert "etika.belum_terverifikasi" not in rules_of(hedged)
    assert "etika.sara" in rules_of(release("Ada seruan usir warga pendatang dari kampung."))


def test_readability_rules() -> None:
    assert "keterbacaan.seremonial" in rules_of(release("Dalam rangka hari jadi, posko dihias."))
    long_sentence = release(" ".join(["warga"] * 40) + ".")
    assert "keterbacaan.kalimat_panjang" in rules_of(long_sentence)


def test_foreign_terms_and_unknown_words() -> None:
    found = lint(release("Rapat membahas feedback warga dan pemerinatah kota."))
    by_rule = {f.rule: f for f in found}
    assert by_rule["eyd.istilah_asing"].suggestion == "umpan balik"
    assert by_rule["ejaan.kbbi"].severity == Severity.WARNING
    assert "ejaan.kbbi" not in rules_of(release("Warga antarkampung bergotong royong."))


def test_extra_words_are_accepted() -> None:
    text = release("Warga menggelar ritual nugal di tepi sungai.")
    assert "ejaan.kbbi" in rules_of(text)
    assert "ejaan.kbbi" not in rules_of(text, extra_words=["nugal"])


def test_advisories_skip_news_structure() -> None:
    advisory = "UNDANGAN PELIPUTAN\nPeluncuran Layanan\nHari/tanggal: Selasa, 24 September 2024\n"
    assert "struktur.hari_tanggal" not in rules_of(advisory, kind="undangan_peliputan")
    assert "struktur.hari_tanggal" not in rules_of(advisory)  # recognised by its marker
    assert "struktur.hari_tanggal" in rules_of(advisory, kind="siaran_pers")


def test_fix_skips_overlapping_and_unsafe_findings() -> None:
    text = release("Kabarnya posko dikantor camat.")
    fixed = fix(text, lint(text))
    assert "di kantor" in fixed and "Kabarnya" in fixed
    assert fix(fixed, lint(fixed)) == fixed


def test_suggestion_budget_is_per_run() -> None:
    from itertools import product

    from pantau.writing.spelling import SUGGESTION_BUDGET

    fake = ["zq" + "".join(p) for p in product("bcdfghjk", repeat=3)][: SUGGESTION_BUDGET + 20]
    text = release(" ".join(fake) + ".")
    words = speller()
    before = words.computed
    found = [f for f in lint(text) if f.rule == "ejaan.kbbi"]
    assert len(found) == len(fake)  # every unknown word is reported ...
    assert words.computed - before == SUGGESTION_BUDGET  # ... but only so many are looked up
    more = release(" ".join("zx" + w[2:] for w in fake[:5]) + ".")
    lint(more)
    assert words.computed - before == SUGGESTION_BUDGET + 5  # the next run has its own budget


def test_time_zone_follows_the_timezone_setting() -> None:
    text = release("Rapat mulai pukul 09.00 WIB.")
    assert "eyd.zona_waktu" in rules_of(text)  # default Asia/Makassar: WITA expected
    assert "eyd.zona_waktu" not in rules_of(text, timezone="Asia/Jakarta")
    assert "eyd.zona_waktu" in rules_of(text.replace("WIB", "WITA"), timezone="Asia/Jakarta")
    assert "eyd.zona_waktu" not in rules_of(text, timezone="Europe/Amsterdam")


def test_ke_as_preposition_is_written_apart() -> None:
    text = release("Kedepannya posko dipindah kesana, bukan keluar kota.")
    assert fix(text, lint(text)) == release(
        "Ke depannya posko dipindah ke sana, bukan keluar kota."
    )
    assert "eyd.ke_pisah" not in rules_of(release("Kedalaman sungai turun."))


def test_windows_line_endings_keep_offsets_and_endings() -> None:
    text = release("Warga silahkan datang.").replace("\n", "\r\n")
    spans = {f.rule: text[f.start : f.end] for f in lint(text)}
    assert spans == {"ejaan.baku": "silahkan"}
    assert fix(text, lint(text)) == text.replace("silahkan", "silakan")


def test_institutions_may_speak_without_a_name() -> None:
    text = release('"Posko buka 24 jam," kata Pemprov Kaltim.\n"Warga aman," ujar BPBD Samarinda.')
    assert "struktur.nama_jabatan" not in rules_of(text)


def test_numbers_that_name_are_not_spelled_out() -> None:
    text = release(
        "Aturan itu tertuang dalam peraturan nomor 4 tahun 2024 untuk warga RT 3 kampung."
    )
    assert "eyd.angka_huruf" not in rules_of(text)


def test_concurrent_lint_gives_the_same_findings() -> None:
    from concurrent.futures import ThreadPoolExecutor

    texts = [release(f"Warga silahkan datang ke posko {w}.") for w in ["zqa", "zqb", "zqc", "zqd"]]
    expected = [lint(t) for t in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(lint, texts * 5)) == expected * 5


def test_headline_title_case() -> None:
    text = "bantuan Dikirim Ke Warga di Sempaja\n" + LEAD
    assert fix(text, lint(text)).splitlines()[0] == "Bantuan Dikirim ke Warga di Sempaja"
    fine = "Bantuan Tiba Selama Banjir di Sempaja dan Sekitarnya\n" + LEAD
    assert "eyd.judul_kapital" not in rules_of(fine)


def test_long_spelled_numbers_take_digits() -> None:
    text = release("Bantuan untuk dua ribu lima ratus warga dan lima belas desa.")
    assert fix(text, lint(text)) == release("Bantuan untuk 2.500 warga dan lima belas desa.")
    start = release("Dua ribu lima ratus warga menerima bantuan.")
    assert "eyd.angka_panjang" not in rules_of(start)  # words are right at a sentence start
