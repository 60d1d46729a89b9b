"""Keyword rules: category evidence, danger cues for priority, tone cues.

Terms are matched against the normalised tokens, their light stems, and adjacent pairs of
either ("tabrak lari"). Weights are evidence points; the learned model adds its own scores.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .text import QMARK, stem, words


def _lex(spec: str) -> dict[str, float]:
    """Parse "term:weight, term two:weight" (default weight 2). Each term is defined once:
    a term given twice raises (a later definition used to win silently)."""
    out: dict[str, float] = {}
    for item in spec.replace("\n", " ").split(","):
        item = " ".join(item.split())
        if not item:
            continue
        term, _, w = item.partition(":")
        term = term.strip()
        if term in out:
            raise ValueError(f"lexicon term defined twice: {term!r}")
        out[term] = float(w) if w else 2.0
    return out


CATEGORY_TERMS: dict[str, dict[str, float]] = {
    "kecelakaan": {},
    "lalu_lintas": _lex(
        """macet:3, kemacetan:3, parkir:2.5, parkir liar:3, balap_liar:3, balap:2.5,
        ngebut:2, kebut:2, knalpot:2.5, brong:2.5, lampu merah:2.5, lampu lalu:2.5,
        traffic:2, rambu:2, lawan arah:2.5, helm:1.5, tanpa helm:2.5,
          overload:2, odol:2, terobos:2, menerobos:2,
        bonceng tiga:2.5, bonceng:1, pengatur:1, lalu lintas:2, lalin:2.5, angkut:1,
        truk:1, muatan:1.5, tilang:1, razia:1, penerangan:1.5,
        parkir sembarangan:3, menghalangi jalan:1.5, bawah umur:0.5, sim:0.5,
        kendaraan:1, motor:0.5, mobil:0.5, jalan:0.5, pengendara:1.5, pelajar:0.5"""
    ),
    "pencurian": _lex(
        """curi:3, maling:3, curanmor:3, jambret:3, begal:3, bobol:2.5,
        copet:3, gasak:2.5, raib:2.5, congkel:2.5, kemalingan:3, gondol:2.5, embat:2,
        rampas:2.5, motor hilang:2.5, hilang motor:2, hp hilang:1.5, pencuri:3,
        masuk rumah:1, dibobol:3, kunci:0.5, gembok:1.5, jendela:0.5, ambil:0.5,
        tas:0.5, dompet:1, perhiasan:1.5, emas:1, kabel:0.5,
        mengendap:2, garong:3"""
    ),
    "kekerasan": _lex(
        """tawur:3, tawuran:3, keroyok:3, aniaya:3, pukul:2, bacok:3, tusuk:2.5, sajam:3,
        parang:2.5, golok:2.5, pisau:2, celurit:3, clurit:3, senjata:2, senpi:3,
        pistol:2, ancam:2, bunuh:1.5, berantem:2.5, kelahi:2.5, duel:2.5, hajar:2,
        tendang:1.5, bentrok:2.5, luka:0.5, gebuk:2, tampar:1.5, amuk:2, mengamuk:2.5,
        teror:1.5, intimidasi:1.5, samurai:2.5, panah:2, ketapel:1.5, lempar batu:2,
        timpuk:2, berdarah:1, dikejar:1.5, kejar:1, tembak:2, sandera:2.5, culik:1,
        bom:0.5, kelompok:0.5, geng:2, gangster:2.5, perang:1.5, saling serang:2.5,
        serang:1.5, dianiaya:3, kekerasan:2, air keras:3, siram:1.5, lempar:2, lempari:2.5,
        gir:1.5, ricuh:2, kericuhan:2, rusuh:1.5, saling pukul:3, kapak:2.5, senapan:2.5"""
    ),
    "narkoba": _lex(
        """narkoba:3, narkotika:3, sabu:3, ganja:3, koplo:3, ekstasi:3, inex:3,
        tramadol:3, obat terlarang:3, edar:1.5, pengedar:3, bandar:1, transaksi:1,
        kurir:1.5, teler:1.5, ngelem:2.5, lem:1, putaw:3, bong:2.5, hexymer:3,
        dextro:2.5, sakau:3, nyabu:3, paket:1, barang haram:2.5, obat:0.5, mabuk:0.3,
        pemakai:2, pakai:0.5, gram:1.5, ngefly:2.5, fly:1.5, daun:0.5, obat larang:3,
        obat batuk:2.5, psikotropika:3, zat:1, selundup:1.5, penyelundupan:1.5, ineks:3"""
    ),
    "penipuan": _lex(
        """tipu:3, penipu:3, investasi:2, arisan:2.5, olshop:2.5, online shop:2.5,
        transfer:1.5, rekening:1.5, phising:3, phishing:3, link:1, apk:2.5, otp:3,
        akun palsu:3, palsu:1, catut:2.5, atas nama:1.5, atasnamakan:2.5,
        mengaku:1, peras:1.5, pemerasan:2, sebar foto:2, video call:1.5, pinjol:2.5,
        hadiah:1.5, undian:2.5, cod:1.5, tidak dikirim:2.5, scam:3, bodong:2.5, hack:2,
        retas:2.5, bajak:1.5, kode:1, uang:0.5, rugi:1.5, kerugian:1.5, dana:0.5,
        pembeli:1, penjual:1, beli:0.5, pesan:0.3, marketplace:2, modus:1.5, jutaan:0.5,
        juta:0.5, nomor:0.5, wa:0.3, pulsa:0.5, kena tipu:3, sms:1, kuras:2, saldo:2,
        lowongan:1.5, calo:1.5, gandakan:2.5, dukun:1"""
    ),
    "perjudian": _lex(
        """judi:3, judi_online:3, togel:3, slot:2.5, sabung:3, sabung ayam:3, kupon:1.5,
        gaple:2, domino:1.5, taruhan:2.5, kasino:3, bandar:1, dadu:2, koprok:3,
        mesin:0.5, jackpot:2.5, maxwin:3, gacor:2.5, deposit:1.5, depo:1.5, situs:1,
        remi:1.5, sie:0.5, lotre:2.5, kartu:0.5, adu ayam:2.5, main kartu:2"""
    ),
    "ketertiban": _lex(
        """maksa:1.5, paksa minta:2, rumah kosong:1.5, keliling:1, asing:1.5,
        speaker:2, karaoke:2.5, ribut:2.5, keributan:2.5, mabuk:2.5, miras:3, tuak:2.5,
        arak:2, preman:3,
        premanisme:3, pungli:1.5, palak:2.5, pemalakan:3, curiga:2, mencurigakan:2.5,
        orang asing:1.5, berisik:2.5, bising:2, musik:1.5, sound:1.5, nongkrong:1.5,
        resah:1.5, meresahkan:1.5, onar:2.5, gaduh:2.5, mondar mandir:2, petasan:2,
        kumpul:1, begadang:1, odgj:2.5, orang gila:2.5, pengamen:1.5, hiburan:1,
        remang:2, teriak:1, mangkal:1.5, warung:0.5, ganggu:1.5, mengganggu:1.5,
        tengah malam:1, dini hari:0.5, keras:0.5, minum:1, botol:0.5, kafe:1,
        pengemis:1.5, parkir liar:0.5, juru parkir:1, jukir:1,
        gerombolan:1.5, anak muda:0.5, remaja:0.5, pacaran:1, ormas:1.5"""
    ),
    "lingkungan": _lex(
        """tambang:2.5, timah:2.5, ti:1.5, tambang ilegal:3, tebang:2, kayu:1, hutan:2,
        pembalakan:3, balak:2, limbah:3, cemar:2.5, pencemaran:3, bom ikan:3, potas:3,
        setrum ikan:3, pukat:2.5, trawl:3, mangrove:2.5, bakau:2.5, keruh:2,
        dompeng:3, ponton:2.5, pasir:1, galian:1.5, kolong:1, sampah:1, bau:1,
        asap:0.5, satwa:2, penyu:1.5, sungai:1, ikan:1, nelayan:0.5, laut:0.5,
        lingkungan:2, ilegal:1, liar:0.5, kebun:0.5, sawit:1, rusak:0.5, terumbu:2.5,
        karang:1, alat berat:2, excavator:2, tanah:0.5, lahan:1, buang:0.5, tinja:1,
        reklamasi:2, sedot:1, hewan:1, burung:0.5, perburuan:2, buru:1, oli:2, oli bekas:3,
        galian c:3, tanpa izin:1, izin tambang:2, abrasi:2.5, isap pasir:3, racun ikan:3,
        arang:1.5, cucak:2, trenggiling:3, dilindungi:1.5"""
    ),
    "asusila_kdrt": _lex(
        """kdrt:3, suami:1.5, istri:1.5, leceh:3, pelecehan:3, perkosa:3, cabul:3,
        rudapaksa:3, asusila:3, nikah dini:3, pernikahan anak:3, kawin:1, siksa:2,
        ayah tiri:2.5, bapak tiri:2.5, ibu tiri:2, mesum:2.5, porno:2, syur:2.5,
        intip:2, raba:2, grepe:3, colek:1.5, anak:0.5, tetangga:0.3, rumah tangga:2,
        cerai:1, mertua:1, gadis:1, perempuan:0.5, wanita:0.5, hamil:1.5, hamili:2.5,
        kekerasan seksual:3, seksual:2.5, dipaksa:1.5, paksa:1, jam malam:0.5,
        telantar:2, ditelantarkan:2.5, tampar:0.5, pukul istri:3, anak kandung:1.5,
        bullying:1.5, bully:1.5, siswi:1, murid:0.5, cabuli:3, pedofil:3, kamar:0.5"""
    ),
    "orang_hilang": _lex(
        """hilang:1.5, belum pulang:3, tidak pulang:3, orang hilang:3, anak hilang:3,
        hilang kontak:2.5, kabur dari:2.5, dicari:1, cari:0.5, pencarian:1, ciri:2,
        terakhir terlihat:3, terakhir:1, pamit:1.5, tersesat:2, pikun:2, belum kembali:2.5,
        tidak kembali:2.5, tidak ada kabar:1.5, tidak bisa dihubungi:2.5, hp mati:1,
        kabur:1, pergi:0.5, pakai baju:2, memakai:1, baju:1, kaos:1, celana:1,
        umur:1.5, usia:1.5, tahun:0.3, demensia:2.5, keluarga:0.5, sejak:1, hubungi:1,
        lihat:0.5, melihat:0.5, temukan:1, ditemukan:0.5, culik:1.5, diculik:2"""
    ),
    "darurat_bencana": _lex(
        """kebakaran:3, bakar:1.5, terbakar:2.5, api:2, banjir:3, tenggelam:3, hanyut:3,
        pohon tumbang:3, tumbang:2.5, longsor:3, puting beliung:3, beliung:3, terjebak:2,
         sengat listrik:3, korsleting:2.5, asap:1, damkar:2.5, bpbd:2.5,
        gelombang:1.5, kapal terbalik:2.5, orang di laut:2, air pasang:2, rob:2,
        tiang listrik:2,
        kabel putus:2, buaya:2.5, petir:2.5, tersambar:2.5, gas bocor:3, bocor:1,
        terendam:2.5, genangan:1.5, angin kencang:2.5, badai:2.5, hujan deras:1.5,
        roboh:2, ambruk:2, runtuh:2, pemadam:2.5, hangus:2.5, menimpa:1.5, timpa:1.5,
        terseret:2, arus:1.5, kolam:0.5, perahu:1, kapal:0.5, mogok laut:1, bencana:3,
        evakuasi:2, pengungsi:2, lebah:1.5, tawon:1.5, jebak:1, sumur:1"""
    ),
    "pelayanan": {},
    "pelanggaran_anggota": {},
    "hoaks": _lex(
        """hoaks:3, hoax:3, viral:2, benarkah:2.5, benar tidak:2.5, apa benar:2.5,
        berita:1.5, broadcast:2, bc:1.5, pesan berantai:3, berantai:2.5, beredar:2.5,
        sara:2.5, provokasi:2.5, provokatif:2.5, fitnah:2, isu:2, kabar:1,
        klarifikasi:2.5, grup:1, postingan:1.5, posting:1.5, status:1, medsos:1.5,
        facebook:1.5, fb:1.5, tiktok:1.5, instagram:1, video:1, katanya:1.5, cek fakta:3,
        kebenaran:2, benar atau:2.5, ujaran kebencian:3, kebencian:2, adu domba:3,
        agama:1.5, kafir:1, hasut:2.5, hasutan:2.5, menyebar:1.5, sebar:1.5,
        akun:1, konten:1.5, foto:0.5, screenshot:1.5, ss:0.5, teror:0.3, demo:1,
        penculikan anak:1, menghina:1.5, hina:1.5, pencemaran nama:3, nama baik:2.5,
        meresahkan warga:0.5, share:1.5, dibagikan:1.5, mengatasnamakan:1.5, santet:2,
        tahun lalu:0.5, sebenarnya:1.5, daerah lain:2, foto lama:3, video lama:3, editan:2.5,
        suku:1.5, pendatang:1.5"""
    ),
    "informasi": _lex(
        """tanya:2, bertanya:2, apakah:1, bagaimana:1.5, cara:1.5, prosedur:1.5, jam:0.5,
        buka:0.5, info:1, informasi:2, saran:2.5, usul:2.5, mohon info:2, dimana:1,
        kapan:1, nomor:0.5, kontak:1, jadwal:1.5, patroli:1.5, sosialisasi:1.5,
        alamat:1, daftar:1, pendaftaran:1.5, penerimaan:1, rekrutmen:2, mau tanya:3,
        izin tanya:3, numpang tanya:3, ingin tahu:2, boleh:1, bisa:0.3, berapa:1,
        perbanyak:2, sebaiknya:1.5, harap:0.5, himbauan:1.5, imbauan:1.5, pos:0.5,
        mudik:1.5, libur:1, lebaran:1, natal:1, pengamanan:1, saran saya:3, usulan:2.5,
        nomor telepon:2, call center:2, hotline:2, apa saja:1.5, syarat:0.5, pengawalan:2,
        relawan:2, sebaiknya polisi:2, jangan membentak:1.5, lebih ramah:2.5, pos kamling:2,
        jam berapa:2, nomor darurat:2.5"""
    ),
    "apresiasi": _lex(
        """terima_kasih:1.5, mantap:2, salut:3, bangga:2.5, hebat:1.5, keren:1.5,
        gerak_cepat:3, sigap:2.5, apresiasi:3, sukses:1.5, berkah:1, amanah:1.5,
        ramah:2, membantu:1.5, emo_pray:0.5, emo_good:1, emo_clap:0.5, emo_love:1.5,
        respon cepat:2.5, tanggap:2, top:1.5, luar biasa:1.5, semangat:1.5, presisi:1,
        jaya:0.5, terbaik:2, puas:2, cepat:0.5, profesional:1.5, humanis:2.5, sehat:1,
        lindungi:1, barakallah:2, alhamdulillah:1.5, dibantu:1, menolong:1, tolong:-0.5,
        ditolong:1.5, berhasil:1.5, ditangkap:1, tangkap:1, sukses selalu:3,
        pelayanan bagus:3, bagus:1.5, baik:0.5, senang:1.5, bersyukur:2"""
    ),
    "lainnya": {},
}

# Danger cues for priority.
ONGOING = _lex(
    """sekarang:2, lagi:1.5, sedang:2, masih:1.5, segera:1.5, cepat:1, darurat:2.5,
    saat ini:2, buruan:1.5, help:1.5, emo_alarm:2, sos:2, minta tolong:1.5,
    mohon bantuan:1.5, kirim anggota:2.5, kirim polisi:2.5, tolong:0.8,
    sementara:1, berlangsung:2.5, terus:0.5, makin:1, semakin:1, mau:0.3, akan:0.3,
    tolong datang:2.5, cepat datang:2.5, datang:0.8, masih di:2, di dalam:1, ini:0.3,
    live:1.5, ramai:0.5, kejar:1.5, dikejar:2"""
)
WEAPON = _lex(
    """sajam:3, parang:3, golok:3, pisau:3, celurit:3, clurit:3, senjata:3, senpi:3,
    pistol:3, bacok:3, tusuk:3, samurai:3, panah:2.5, molotov:3, tembak:3, pedang:3,
    linggis:2, kapak:3, badik:3, keris:2, airsoft:2.5, senapan:3, bom:2, bakar:1,
    air keras:3, gir:2, siram:1, bensin:1"""
)
INJURY = _lex(
    """luka:2.5, berdarah:3, darah:2.5, pingsan:3, tidak sadar:3, meninggal:3, tewas:3,
    korban jiwa:3, kritis:3, patah:2.5, terjepit:3, tergeletak:3, sesak:2, kejang:2.5,
    parah:2, mati:1.5, sekarat:3, koma:3, bocor:0.5, korban:1.5, terluka:3, lebam:1.5,
    sobek:2.5, ambulans:2.5, rumah sakit:1.5, rs:1, puskesmas:1, terlindas:3, lindas:2.5,
    kesakitan:2.5, tidak bergerak:3, muntah darah:3, gegar:2.5, benjol:1, memar:1,
    luka ringan:-2.5, spion patah:-2.5, stang patah:-2.5, kaca patah:-2.5, velg patah:-2.5,
    bemper patah:-2.5, kaki tangan:0.5"""
)
HAZARD = _lex(
    """kebakaran:3, terbakar:3, api:2.5, tenggelam:3, hanyut:3, terjebak:3,
    longsor:3, tumbang:2, menimpa:2.5, timpa:2, gas bocor:3, meledak:3, ledak:3,
    buaya:2.5, terseret:3, banjir:2, terendam:1.5, hangus:2, asap:1.5, roboh:2,
    ambruk:2, runtuh:2, karam:3, terbalik:1.5, kabel putus:2.5, angin kencang:1.5,
    tiang listrik:1.5, nyemplung:2.5, tercebur:3, cebur:2.5, jatuh sumur:3, jatuh laut:3,
    jatuh sungai:3, masuk sungai:2.5, rob:2, terus naik:1.5, naik terus:1.5,
    sengat:2.5, disengat:2.5, tawon:1.5, kejepit:3, jepit:2, sesak:1.5, longsor kecil:-2,
    orang di laut:2.5"""
)
CHILD = _lex(
    """anak:2, balita:3, bocah:3, anak kecil:3, adik:1, bayi:3, putri:1.5, putra:1.5,
    siswa:1.5, siswi:1.5, murid:1.5, sd:1.5, tk:2, paud:2, cucu:1.5, umur:0.3, usia:0.3"""
)
PAST = _lex(
    """kemarin:2, kemaren:2, minggu lalu:2.5, bulan lalu:3, tahun lalu:3, lalu:1,
      beberapa hari:2, hari lalu:2, dulu:2, sudah lama:2,
    sudah padam:3, padam:1, sudah ditangani:2.5, sudah aman:3, aman:1, sudah selesai:2.5,
    selesai:1, sudah dievakuasi:2.5, kejadian:0.5, pernah:1.5, sebulan:2, seminggu:2,
    sudah ditemukan:3"""
)
# The danger is over or small.
CALM = _lex(
    """luka ringan:3, lecet:2, cuma lecet:1, selamat:1.5, sudah damai:3,
    damai:1, dipisah:2.5, sudah dipisah:1, sudah padam:3, padam:2, sudah aman:3,
    sudah dievakuasi:2.5, dievakuasi:1.5, sudah ditangani:2.5, ditangani:1,
    sudah diamankan:3, diamankan:2, sudah pulang:2, shock:1, cuma:0.5, hanya:0.5,
    sudah dibawa:1.5, kabur:0.5, melarikan:0.5, sudah lewat:2, sudah selesai:2.5,
    tidak apa apa:3, tidak apa:2, baik baik:2, rusak:0.5, kerugian:1, materiil:2"""
)
# Tone.
ABUSIVE = _lex(
    """anjing:3, bangsat:3, goblok:3, tolol:3, babi:3, kontol:3, ngentot:3,
    bajingan:3, sialan:2, brengsek:3, tai:2.5, taik:2.5, kampret:2.5,
    setan:2, iblis:2, laknat:3, mampus:2.5, emo_pig:2.5, emo_dog:2.5,
    emo_finger:3, kafir:3, monyet:3, bejat:2, biadab:2.5, sampah masyarakat:3,
    tidak becus:2, bego:2.5, idiot:3, dungu:3, asu:3, jancuk:3, jancok:3, cuk:2,
    kimak:3, pantek:3, pukimak:3, lonte:3, pelacur:2.5, banci:2, bencong:2,
    cina:1, antek:2, makan gaji buta:2.5, gaji buta:2.5, penjilat:2.5,
    pecundang:2, munafik:2, sok:1, bacot:2.5, mulut:0.5,
    gila:1.5, sinting:2.5, edan:2, jahanam:3, busuk:1.5, bangkai:2.5, kunyuk:3, kerbau:1,
    cebong:2.5, kadrun:2.5, buzzer:1.5, pki:2, komunis:1.5, pengkhianat:2.5, jablay:3,
    homo:2, autis:1.5, budek:2, congek:2.5, memek:3, jembut:3, peler:3, titit:2.5, coli:2.5,
    perek:3, sundal:3, cocot:3, matamu:2.5, ndasmu:3, raimu:2.5, gundulmu:2.5, taek:3,
    celeng:2.5, kirik:2.5, modar:3, mati kau:3, cibai:3, rezim:1, plonga:2.5, dajjal:3,
    antek asing:3, aseng:2.5, onta:1.5, sesat:2, kampungan:2, norak:1.5, lebay:1,
    dasar:1, otak:1, tidak punya otak:3, tidak berotak:3, udik:2, binatang:2.5, hewan:0.5,
    sampah:1.5, najis:2.5, terkutuk:3, laknatullah:3, bunuh:0.5, goblog:3, bloon:2.5,
    bodoh:2, tai kucing:3, ngehe:2.5, bangke:3, kamvret:3, anjrit:2.5, jingan:3,
    anjing saya:-3, anjing kami:-3, anjing tetangga:-3, anjing liar:-3, gigit anjing:-3,
    tembak anjing:-3, ekor anjing:-3, racun anjing:-3, anjing peliharaan:-3, anjing gila:-1,
    anjing pelacak:-3, babi hutan:-3, ekor babi:-3, ternak babi:-3, monyet liar:-3,
    ekor monyet:-3, kandang babi:-3, daging babi:-3, anjing mati:-2"""
)
INCITE = _lex(
    """serbu:3, bakar saja:3, bakar:1, bunuh saja:3, hajar saja:3, usir:2, bantai:3,
    usir saja:3, awas saja:2.5, balas dendam:3, bawa orang:1, habisi saja:3,
    tunggu pembalasan:3, saya balas:2,
    ganyang:3, habisi:3, gantung saja:3, mati saja:3, ayo kita:1.5, ramai ramai:1,
    rame rame:1, turun ke jalan:2, lawan:1, jangan percaya:1.5,
    revolusi:1.5, balas:1.5, awas kau:3, awas kamu:3, kubunuh:3,
    bunuh kau:3, matilah:2.5, sikat:1.5, sweeping:2.5, pembalasan:2.5"""
)
SARCASM = _lex(
    """wkwk:1.5, emo_laugh:1.5, emo_clown:2, emo_clap:0.5, hebat:1,
    mantap:0.7, pintar:1, luar biasa:0.7, keren:0.7, salut:0.5, bagus:0.5,
    katanya:1, katanya melayani:3, mengayomi:1, pengayom:1.5, slogan:2, presisi:1,
    konon:2, panutan:1.5, semoga betah:2"""
)
CRITIC = _lex(
    """lambat:2, lamban:2, lama:1, kecewa:3, mengecewakan:3, tidak ditanggapi:3,
    tidak direspon:3, tidak ada respon:3, tidak ada tanggapan:3, percuma:2.5,
    mana polisi:2.5, kemana polisi:2.5, kemana:1, tidak profesional:3, arogan:2,
    pungli:2, tebang pilih:2, dipersulit:3, ribet:2, mahal:1.5, tidak jelas:1.5,
    harusnya:1.5, seharusnya:1.5, tolong diperbaiki:2.5, perbaiki:1.5, kurang:1,
    tidak ada kabar:2, belum ada kabar:2, mengeluh:2, keluhan:2,
    kasar:1.5, bentak:1.5, judes:2, ketus:2, tidak sopan:2, minta uang:1.5, diabaikan:2.5,
     dibiarin:1.5, tidak ada tindakan:2.5, tidak ditindak:2.5,
    tidak ditindaklanjuti:3, cuek:2, kapan ditindak:2, sampai kapan:2, berbulan:1.5,
    mandek:2.5, jalan di tempat:2, kecewa berat:3, pelayanan buruk:3, buruk:1.5,
    tidak adil:2, pilih kasih:2, lelet:2, capek:1, malas:1.5, tolong ditindak:1,
    tidak ada hasil:2, takut lapor:1.5, sia sia:2, tidak pernah:1.5, kok tidak:2,
    polisi kok:2, bolak balik:2, disuruh datang:1.5, selalu disuruh:2,
    kapan ditangkap:2, kapan ditertibkan:2, makin parah:1.5,
    tidak datang:1.5, tidak ditertibkan:2.5, ditertibkan:0.5, dibiarkan saja:2,
    ugal:1.5, ugalan:1.5, seenaknya:1.5, sembarangan:0.5, tanpa sirine:1"""
)
PRAISE = _lex(
    """salut:3, bangga:2.5, mantap:2, hebat:1.5, keren:1.5, gerak_cepat:3, sigap:2.5,
    apresiasi:3, sukses:1.5, amanah:1.5, ramah:2, emo_love:1.5, emo_good:1,
    respon cepat:2.5, tanggap:1.5, top:1.5, luar biasa:1.5, terbaik:2, puas:2,
    profesional:1.5, humanis:2.5, barakallah:2, sukses selalu:3, bagus:1, senang:1,
    bersyukur:1.5, berterima:1.5, terima_kasih banyak:2, ditolong:1, dibantu:1,
    membantu:1, semangat:1, sehat selalu:2, lindungi:1"""
)


def _add(lex: dict[str, float], spec: str) -> None:
    """Add terms to a lexicon ("term:weight, ..."); a term already in it raises."""
    new = _lex(spec)
    twice = sorted(set(new) & set(lex))
    if twice:
        raise ValueError(f"lexicon terms defined twice: {twice}")
    lex.update(new)


# Second pass (generalisation work): crowds, boats, falls into wells/rivers, animal bites,
# neglect, roads as public works, patrol requests, slow follow-up of a report.
_add(
    CATEGORY_TERMS["ketertiban"],
    """massa:2.5, demo:2, unjuk rasa:3, protes:1.5, kerumun:2.5, kerumunan:2.5,
    dikerumuni:2.5, memanas:2, geruduk:2.5, ngamuk massa:2.5, hakim sendiri:2,
    main hakim:2.5""",
)
_add(
    CATEGORY_TERMS["darurat_bencana"],
    """mati mesin:2.5, ombak besar:3, terombang:3, jatuh sumur:3, jatuh sungai:3,
    jatuh laut:3, tercebur:3, cebur:2.5, jembatan:1, gigit:2, digigit:2.5, ular:2, sawa:2.5,
    ular sawa:3, timbun:2, tertimpa:3, tersengat:3, menyala:2, kebakaran lahan:3,
    anjing gila:2.5, ditemukan mengambang:3, mengambang:2, anjing gigit:3,
    gigit anjing:3, digigit anjing:3""",
)
_add(
    CATEGORY_TERMS["asusila_kdrt"],
    """dikunci:2, sendirian:1.5, ditinggal:1.5, nikah:0.5, nikahkan:2.5, dinikahkan:3,
    menikahkan:2.5, istrinya:1, mukul istri:3, pukul istrinya:3, anak tiri:2""",
)
_add(CATEGORY_TERMS["lalu_lintas"], "jalan rusak:1, jalan berlubang:1, lubang:0.5, rawan:1.5")
_add(
    CATEGORY_TERMS["informasi"],
    """patroli ditambah:3, tambah patroli:3, minta patroli:2.5, patroli jarang:3,
    jarang patroli:3, tingkatkan patroli:3, perbanyak patroli:3, patroli rutin:2.5,
    jarang lewat:2, siskamling:2, kamling:1.5, gabung:1.5, pendampingan:1.5, qmark:0.7,
    mohon diperhatikan:1.5, lowongan polisi:3, penerimaan polisi:3, pendaftaran polisi:3""",
)
_add(CATEGORY_TERMS["hoaks"], "qmark:0.5, bener tidak:2.5, benar tidak qmark:1")
# Livestock counted in "ekor", accidents that cause the jam, weapons brandished.
_add(
    CATEGORY_TERMS["pencurian"],
    """ekor:1.5, kambing:1.5, sapi:1.5, ayam:1, ternak:1.5, hilang sapi:2.5,
    hilang kambing:2.5, hilang ternak:2.5, kehilangan:1.5, kunci t:3, kunci letter:3""",
)
_add(CATEGORY_TERMS["orang_hilang"], "ekor:-2, kambing:-1.5, sapi:-1.5, ternak:-1.5")
_add(
    CATEGORY_TERMS["kekerasan"],
    "acung:2, mengacungkan:2.5, todong:2.5, menodong:3, ditodong:3, cekik:2, dicekik:2",
)
_add(
    CATEGORY_TERMS["narkoba"],
    "kebun ganja:3, ladang ganja:3, pohon ganja:3, tanam ganja:3, obat keras:3, pil:2",
)
_add(CATEGORY_TERMS["asusila_kdrt"], "cekik:1.5, dicekik:2, ipar:1, suaminya:1.5")
_add(CRITIC, "belum ada kejelasan:2.5, tidak ada kejelasan:2.5, kejelasan:1")
_add(CATEGORY_TERMS["apresiasi"], "respek:2.5, respect:2.5, hormat setinggi:2.5")
_add(PRAISE, "respek:2.5, respect:2.5")
_add(CATEGORY_TERMS["pencurian"], "preteli:2.5, dipreteli:3, pengepul:1, penadah:2")
# Third pass: boats in distress, poisoning, robbery words, fraud by pretext, reporting
# procedure, threats, and minor injuries.
_add(
    CATEGORY_TERMS["darurat_bencana"],
    """kandas:3, terdampar:2.5, karam:3, kapal miring:3, miring:1, ombak tinggi:3,
    keracunan:3, racun:1, menghirup:2, gas beracun:3, pusing:1, mual:1, sesak:1.5,
    jatuh pohon:2.5, jatuh dari pohon:3, pohon kelapa:1, tertimbun:3""",
)
_add(
    HAZARD,
    """kandas:2.5, terdampar:2, ombak tinggi:2.5, keracunan:3, gas beracun:3,
    menghirup:1.5, tidak napas:3, tidak bernapas:3""",
)
_add(
    CATEGORY_TERMS["pencurian"],
    """curas:3, curat:3, rampok:3, perampokan:3, dirampok:3, penodongan:2, todong:1,
    bawa lari:2, dibawa lari:2.5, begal motor:3""",
)
_add(CATEGORY_TERMS["penipuan"], "ngaku:2, test drive:3, pura pura:1.5, bawa kabur:1")
_add(INCITE, "lihat saja:2, kami bakar:2.5, bakar kantor:3, kita bakar:3")
_add(CRITIC, "kok:1, bikin macet:1, mending:1, sayang sekali:1.5, sering kosong:2")
_add(CALM, "sudah bisa dilewati:3, bisa dilewati:2, sudah dipotong:2, sudah dibersihkan:2.5")
_add(CALM, "luka lecet:3, lecet lecet:1")
# Fourth pass: people swept away, medical emergencies, somebody not seen for days,
# drunk driving, grooming, threats to break bones, greetings to the police, slow replies.
_add(
    CATEGORY_TERMS["darurat_bencana"],
    """terseret ombak:3, terseret arus:3, seret:1.5, ombak:2, pingsan:2, ambulans:1.5,
    butuh ambulans:3, kejang:2, bau tidak sedap:2.5, bau busuk:2.5, tidak keluar rumah:2,
    pintu terkunci:1.5, tidak ada kabar:0.5""",
)
_add(HAZARD, "terseret ombak:3, terseret arus:3, tengah laut:2.5, melambai:1.5")
_add(
    CATEGORY_TERMS["lalu_lintas"],
    "nyetir:1.5, menyetir:1.5, mengemudi:1.5, zig zag:2.5, ugal:2, sopir mabuk:2.5",
)
_add(
    CATEGORY_TERMS["asusila_kdrt"],
    """senonoh:3, tidak senonoh:3, digoda:2, goda:1.5, foto bugil:3, grooming:3,
    video call mesum:3, om om:1""",
)
_add(CATEGORY_TERMS["apresiasi"], "hari bhayangkara:3, bhayangkara:2, dirgahayu:3")
_add(PRAISE, "hari bhayangkara:2.5, dirgahayu:2.5")
_add(
    CATEGORY_TERMS["ketertiban"],
    "nutup jalan:1.5, tutup jalan:1.5, portal liar:3, pungutan liar:2.5, minta uang:1",
)
_add(CRITIC, "tidak dibalas:2.5, lama banget:1.5, respon lama:2, ribet amat:1, masa harus:1.5")
_add(
    INCITE,
    """patahkan:3, kami patahkan:3, kupatahkan:3, kubacok:3, kutusuk:3, kuhabisi:3,
    kami hajar:3, berani lewat:1.5, berani datang:1.5""",
)
_add(INJURY, "maut:3, tabrakan maut:1, luka robek:3, robek:2")
# Fifth pass (from holdout_e): trapped accident victims, suicide, street lights.
_add(INJURY, "korban masih:1.5, di dalam mobil:1, terjebak di:2")
_add(PAST, "yang dulu:-2, mantan:0")
_add(CATEGORY_TERMS["darurat_bencana"], "gantung diri:3, bunuh diri:3, tergantung:2")
_add(CATEGORY_TERMS["lalu_lintas"], "lampu jalan:0.5")
# Sixth pass (round 5, causes behind misses on unseen writers): somebody hit by a weapon,
# victims still stuck or being pulled out, a fight between groups, abuse heard "dari tadi",
# tyres burned in a protest (not a fire), a teenager (not a child), the victim reporting in
# person at the SPKT (over), wrecked vehicles.
_add(
    INJURY,
    """kena bacok:3, kena tusuk:3, kena tembak:3, kena peluru:3, kena sabet:3, kena panah:3,
    kena lemparan:2, kena lempar:2, nyangkut:1, yang nyangkut:2, masih nyangkut:2.5,
    terperangkap:3, masih dikeluarkan:2, belum dikeluarkan:3, belum bisa dikeluarkan:3,
    ringsek:1""",
)
_add(ONGOING, "dari tadi:1.5, sejak tadi:1.5, teriak teriak:1, menjerit:1, jerit:1")
_add(
    CATEGORY_TERMS["kekerasan"],
    "saling lempar:3, lempar kursi:2.5, saling dorong:2, saling tikam:3, saling bacok:3",
)
_add(CATEGORY_TERMS["ketertiban"], "bakar ban:3, ban bekas:1, suporter:1.5")
_add(CATEGORY_TERMS["darurat_bencana"], "bakar ban:-3")
_add(HAZARD, "bakar ban:-3")
_add(WEAPON, "bakar ban:-1")
# taxonomy: a missing child is anyone under 18, a teenager included
_add(CHILD, "remaja:2, abg:2, smp:1.5, sma:1.5")
_add(PAST, "melaporkan dirinya:2, datang ke spkt:2, datang melaporkan:2")
# Danger cues.
_add(
    INJURY,
    """luka berat:4, kepala bocor:3, bocor kepala:3, patah tulang:3, tidak gerak:3,
    tidak sadarkan:3, sesak napas:2.5, dirawat:0.5, dijahit:1, luka kepala:1,
    luka memar:-1.5, memar memar:-1, luka lecet:-2.5, tidak napas:3, kaki patah:1""",
)
_add(
    HAZARD,
    """menyala:2.5, ombak besar:2.5, mati mesin:2, terombang:3, tertimbun:3, timbun:2,
    tertimpa:3, tersengat:3, merambat:2, menjalar:2, mendekati rumah:2, api mendekat:2.5,
    digigit:1.5, gigit:1""",
)
_add(
    ONGOING,
    """kini:1.5, masih menyala:2.5, belum padam:3, belum ketemu:2, belum ditemukan:2,
    sedang dicari:2, masih dicari:2, baru saja:0, barusan:0, masih berkeliaran:2.5,
    berkeliaran:1.5, masih keliling:2""",
)
# Just happened: counts as "now" for violence and injuries, not for a theft (taxonomy:
# "a crime that just happened" is tinggi, an attack that just happened is darurat).
JUST = _lex("baru saja:1.5, barusan:1.5, baru terjadi:1.5, tadi barusan:1.5, baru kejadian:1.5")
_add(
    PAST,
    """semalam:2, tadi malam:2, sudah kabur:2.5, sudah lari:2, kabur ke:1, tiap malam:2,
    setiap malam:2, tiap hari:2, setiap hari:2, tiap minggu:2, setiap minggu:2,
    sering:1.5, tiap malem:2, dirawat:1.5, sudah dirawat:2.5, bulan ini:1.5""",
)
# Tone.
_add(
    ABUSIVE,
    """pemeras:1.5, tidak punya malu:2.5, tidak tahu malu:2.5, muka tembok:2.5,
    pemalas:1.5, tidak berguna:2, buta tuli:3, otak udang:3, mata duitan:2.5,
    lintah darat:2, bakar hidup:3, anak setan:3, dasar polisi:2, polisi bodoh:3,
    dajal:3, kurang ajar:2, keparat:3""",
)
_add(
    INCITE,
    """kepung:1, tandain:2.5, tandai:1.5, tunggu saja:2.5, lihat saja nanti:3,
    habis kamu:2.5, bakar hidup:3, hajar ramai:2.5, hajar rame:2.5, gebuk ramai:2.5,
    gebuk rame:2.5, siap bakar:3, ayo usir:3, usir semua:3, usir mereka:3""",
)
_add(
    SARCASM,
    """hebat ya:2, hebat bener:2, hebat benar:2, hebat sekali:1, mantap kali:1.5,
    keren ya:1.5, berkat kalian:1.5, emo_eyeroll:2, juara:1, prestasi:1,
    terima_kasih sudah membiarkan:3, terima_kasih sudah biarkan:3""",
)
_add(
    CRITIC,
    """aparat kemana:2.5, polisi kemana:2.5, kok diam:2.5, pura pura:1.5, kebal hukum:2.5,
    disuruh tunggu:2, disuruh nunggu:2, nunggu terus:2, belum ada perkembangan:2.5,
    tidak ada perkembangan:2.5, jutek:2, komplain:2.5, jarang:1, jarang sekali:1.5,
    kok dibiarkan:2.5, dibiarkan:1.5, tidak ada tindak:2, mohon diperhatikan:1,
    tolong dibina:2, dibina:1, kemana ya:1, diam saja:2""",
)
# A bad state of affairs that mock praise is about ("maling dibiarkan", "makin subur").
NEGSIT = _lex(
    """dibiarkan:2, biarkan:2, membiarkan:2, tidak pernah:1.5, tidak ketangkap:2.5,
    tidak ditangkap:2.5, makin subur:3, subur:1.5, merajalela:2.5, dipelihara:2.5,
    pelihara:2, cuma:1, saja:0.3, tidak ada kabar:2, tidak datang:2, malah:1.5,
    disuruh pulang:2.5, lambat:1.5, lama:1, lelet:2, tilang:1, razia:1, pungli:2,
    maling:1, bandar:1, begal:1, balap_liar:1, tidur:1, tanggal tua:2, nilang:1,
    menilang:1, tidak becus:2, kabur:1, bulan:0.5, kurir:1, pemakai:1, rajin:1,
    lapor:1, laporan:1, sabar:1, sabu:1, narkoba:1, judi:1, togel:1, jagain:1.5,
    jaga:0.5, aman:0.5, ikhlas:1.5, pungut:1, setoran:1.5""",
)
# Groups named in SARA hostility, and the hostility itself.
SARA_GROUP = _lex(
    """cina:2, china:2, tionghoa:2, aseng:2, pendatang:2, suku:1.5, jawa:1.5, batak:1.5,
    madura:1.5, bugis:1.5, flores:1.5, arab:1, kafir:2, kristen:1.5, katolik:1.5,
    islam:1, muslim:1, hindu:1.5, budha:1.5, agama:1, etnis:2, ras:1, keturunan:1,
    orang luar:1.5, pulau sebelah:1.5, kampung sebelah:1""",
)
SARA_HOSTILE = _lex(
    """usir:3, bersihkan:2.5, basmi:3, musnahkan:3, boikot:2.5, jangan belanja:3,
    jangan beli:2.5, penipu:1.5, semua penipu:3, penjajah:3, benci:2, bunuh:2, bakar:2,
    serang:2, ganyang:3, hajar:2, bikin rusuh:2, bikin susah:2, pergi dari:2,
    tidak pantas:1.5, sampah:2, anjing:2, babi:2, najis:2.5, sesat:2, tidak boleh tinggal:3""",
)
# A report made earlier that nobody followed up ("lapor dari kemarin, tidak ada yang datang").
SLOW_FOLLOWUP = _lex(
    """ada yang datang:2, tidak datang:2, tidak ada kabar:3, belum ada kabar:3,
    tidak ditanggapi:3, tidak direspon:3, tidak ada tindak:3, belum ada perkembangan:3,
    tidak ada perkembangan:3, belum ditindaklanjuti:3, tidak ditindaklanjuti:3,
    tidak ada respon:3"""
)
REPORT_WORDS = words("lapor laporan melapor dilaporkan laporkan melaporkan")
# Asking whether something heard or seen is true (with a question mark: hoaks check).
HOAX_ASK = _lex(
    """hoaks:2, hoax:2, benarkah:2, apa benar:2, benar tidak:2, bener tidak:2, katanya:1,
    viral:1, beredar:1, kabarnya:1, isu:1, benar atau:2, asli atau:2"""
)
# Somebody reporting such content, not writing it.
REPORTING = _lex(
    """akun:2, postingan:2, posting:1.5, menyebar:2, sebar:1.5, beredar:2, tolong diusut:2,
    diusut:1.5, video:1, konten:2, grup:1, komentar:1.5, status:1, ajak:0.5, ngajak:0.5""",
)
# Police members as actors of misconduct: an actor word followed closely by one of these.
POLICE_ACTORS = words(
    """polisi oknum anggota aparat polantas satlantas brimob bhabinkamtibmas kapolsek
    polwan intel reskrim provos patroli petugas"""
)
MISCONDUCT = words(
    """mabuk pukul memukul mukul tampar menampar tendang hajar aniaya tembak menembak
    ngebut kebut tabrak menabrak bentak membentak ketus jutek kasar arogan minta pungli
    peras memeras palak memalak pelihara dipelihara memelihara backing beking lindungi
    melindungi dilindungi judi berjudi selingkuh ancam mengancam tilang menilang sogok
    suap setoran jatah pungut memungut terima nagih sewenang"""
)
_NOT_POLICE_ACTOR_BEFORE = words("pak bapak tolong lapor kepada ke minta mohon panggil")
_OTHER_ACTORS = words(
    """orang pemuda warga preman maling pelaku dia mereka tetangga suami istri anak ada
    yang sopir pengendara"""
)


FAMILY = words(
    """istri istrinya suami suaminya bini ipar mertua menantu anaknya ayahnya ibunya
    bapaknya kakaknya adiknya tiri"""
)
FAMILY_VIOLENCE = words(
    """pukul memukul mukul tampar menampar cekik mencekik tendang menendang aniaya siksa
    menyiksa hajar ngamuk mengamuk amuk jambak menjambak bacok banting membanting"""
)
_OUTSIDE_ACTORS = words("tetangga preman pemuda maling begal geng")


def family_violence(tokens: Sequence[str], stems: Sequence[str]) -> float:
    """Violence with a family member in the sentence and no outside actor ("istrinya
    dicekik", "dipukul suaminya") is domestic violence (asusila_kdrt)."""
    toks = set(tokens)
    if not (toks & FAMILY) or toks & _OUTSIDE_ACTORS:
        return 0.0
    if toks & FAMILY_VIOLENCE or set(stems) & FAMILY_VIOLENCE:
        return 3.0
    return 0.0


# Assault on a person (stems): "memukul", "dipukuli", "dikeroyok", "dihajar".
ASSAULT = words("pukul keroyok hajar aniaya tampar tendang gebuk bacok tusuk")
# ... but not inside a family or a couple: that is asusila_kdrt (taxonomy rule 8).
FAMILY_OR_PARTNER = words(
    """istri istrinya suami suaminya bini ipar mertua anaknya ayahnya ibunya bapaknya tiri
    pacar pacarnya mantan mantannya kekasih"""
)
VEHICLE_OR_ROAD = words(
    """motor mobil truk kendaraan pengendara jalan jalanan sepeda bus angkot pick pickup
    becak ambulans tikungan tanjakan turunan simpang perempatan pertigaan aspal tol
    lalu lintas laka kecelakaan tabrakan menabrak ditabrak tertabrak pengemudi sopir supir
    travel taksi ojek bentor avanza xenia vario beat scoopy nmax truck kontainer"""
)
ACCIDENT_EVENTS = words(
    """tabrakan kecelakaan terlindas terguling terbalik tertabrak ditabrak menabrak
    nyungsep terserempet diserempet vs versus"""
)
_NOT_HAPPENED = words("rawan hampir nyaris sering potensi bisa takut dituduh tuduh menuduh")
_FRAUD_FRAME = words("ngaku mengaku transfer penelpon hoaks viral benarkah katanya")


def accident_happened(tokens: Sequence[str]) -> bool:
    """An accident that happened ("truk terguling", "ada yang terlindas"), not a risk of
    one ("rawan kecelakaan", "hampir tabrakan")."""
    if _FRAUD_FRAME.intersection(tokens):
        return False  # "ngaku dari rumah sakit, anak ibu kecelakaan, transfer"
    for i, tok in enumerate(tokens):
        if tok in ACCIDENT_EVENTS:
            before = tokens[max(0, i - 2) : i]
            if not _NOT_HAPPENED.intersection(before):
                return True
    return False


PRAISE_ADJ = words("hebat keren mantap mantul salut bagus pintar canggih top juara luar")
PARTICLES = words("ya yah deh dong sekali banget bener benar kali")


def praise_then_particle(stems: Sequence[str]) -> float:
    """ "keren banget ya", "hebat bener ya", "mantap kali": the frame of mock praise."""
    for i, st in enumerate(stems[:-1]):
        if st in PRAISE_ADJ and stems[i + 1] in PARTICLES:
            return 1.0
    return 0.0


def police_misconduct(tokens: Sequence[str], stems: Sequence[str]) -> float:
    """Evidence that a police member is the actor of misconduct ("oknum polisi minta uang",
    "mobil patroli ngebut", "polisi mabuk mukul warga")."""
    for i, tok in enumerate(tokens):
        if tok not in POLICE_ACTORS:
            continue
        if i and tokens[i - 1] in _NOT_POLICE_ACTOR_BEFORE:
            continue
        for j in range(i + 1, min(len(tokens), i + 6)):
            if tokens[j] in _OTHER_ACTORS:
                break
            if tokens[j] in MISCONDUCT or stems[j] in MISCONDUCT:
                return 3.5
    return 0.0


@dataclass(slots=True)
class Evidence:
    """What the rules saw in one message (read-only by convention: a frozen dataclass of
    sixteen fields took ~4 us to build, a tenth of the rules' time per message)."""

    category: dict[str, float]
    ongoing: float
    weapon: float
    injury: float
    hazard: float
    child: float
    past: float
    abusive: float
    incite: float
    sarcasm: float
    critic: float
    praise: float
    calm: float
    just: float = 0.0
    negsit: float = 0.0
    boost: dict[str, float] | None = None  # frame bonuses added to the category logits


def term_keys(tokens: Sequence[str], stems: Sequence[str] | None = None) -> set[str]:
    """Unigrams and bigrams of tokens and of their stems, token trigrams, skip-bigrams.

    Only keys some lexicon can contain are built: a pair is formed only when its first
    word starts a multi-word term (most pairs never do, and joining strings is the cost)."""
    if stems is None:
        stems = [stem(t) for t in tokens]
    keys = set(tokens)
    keys.update(stems)
    first2, first3 = _FIRST2, _FIRST3
    n = len(tokens)
    for seq in (tokens, stems):
        for i in range(n - 1):
            a = seq[i]
            if a in first2:
                keys.add(a + " " + seq[i + 1])
                # one skipped word: "pohon yang tumbang" (stems only)
                if seq is stems and i + 2 < n:
                    keys.add(a + " " + seq[i + 2])
    for i in range(n - 2):
        a = tokens[i]
        if a in first3:
            keys.add(a + " " + tokens[i + 1] + " " + tokens[i + 2])
    return keys


def _score(keys: Iterable[str], lex: dict[str, float]) -> float:
    return sum(lex.get(k, 0.0) for k in keys)


CUE_LEXICONS: dict[str, dict[str, float]] = {
    "ongoing": ONGOING,
    "weapon": WEAPON,
    "injury": INJURY,
    "hazard": HAZARD,
    "child": CHILD,
    "past": PAST,
    "abusive": ABUSIVE,
    "incite": INCITE,
    "sarcasm": SARCASM,
    "critic": CRITIC,
    "praise": PRAISE,
    "calm": CALM,
    "just": JUST,
    "negsit": NEGSIT,
    "sara_group": SARA_GROUP,
    "sara_hostile": SARA_HOSTILE,
    "reporting": REPORTING,
    "hoax_ask": HOAX_ASK,
    "slow_followup": SLOW_FOLLOWUP,
}
DANGER = ("ongoing", "weapon", "injury", "hazard")


def _invert(lexicons: dict[str, dict[str, float]]) -> dict[str, tuple[tuple[str, float], ...]]:
    index: dict[str, list[tuple[str, float]]] = {}
    for name, lex in lexicons.items():
        for term, weight in lex.items():
            index.setdefault(term, []).append((name, weight))
    return {term: tuple(v) for term, v in index.items()}


# One pass over a message's keys scores every lexicon at once (names do not collide).
_ALL_LEXICONS = {**CATEGORY_TERMS, **CUE_LEXICONS}
assert len(_ALL_LEXICONS) == len(CATEGORY_TERMS) + len(CUE_LEXICONS)
_INDEX = _invert(_ALL_LEXICONS)
_FIRST2 = frozenset(t.split()[0] for t in _INDEX if len(t.split()) == 2)
_FIRST3 = frozenset(t.split()[0] for t in _INDEX if len(t.split()) == 3)


def _scores(
    keys: Iterable[str], index: dict[str, tuple[tuple[str, float], ...]], names: Iterable[str]
) -> dict[str, float]:
    out = dict.fromkeys(names, 0.0)
    for k in keys:
        hits = index.get(k)
        if hits:
            for name, weight in hits:
                if name in out:
                    out[name] += weight
    return out


NEGATORS = frozenset({"tidak", "tanpa", "bukan", "belum"})


def without_negated(tokens: Sequence[str], span: int = 3) -> list[str]:
    """Tokens minus the words negated by "tidak ada", "belum ada", "tanpa" or "bukan"
    ("tidak ada korban", "belum ada yang kena"); "tidak sadar" keeps its meaning."""
    out: list[str] = []
    left = 0
    n = len(tokens)
    i = 0
    while i < n:
        tok = tokens[i]
        if tok in ("tanpa", "bukan"):
            left = span
        elif tok in ("tidak", "belum") and i + 1 < n and tokens[i + 1] == "ada":
            left = span
            i += 1
        elif left:
            left -= 1
        else:
            out.append(tok)
        i += 1
    return out


# A missing person with dementia is as urgent as a missing child (taxonomy: darurat).
DEMENTIA = frozenset({"pikun", "demensia", "alzheimer", "linglung"})
CHILD_AGE_LIMIT = 18  # taxonomy: a missing child is under 18


def _child_score(words: float, age: int | None, tokens: Sequence[str] = ()) -> float:
    """> 0: a child or a person with dementia is meant; < 0: an adult's age is given."""
    if not DEMENTIA.isdisjoint(tokens):
        return 3.0
    if age is None:
        return words
    return 3.0 if age < CHILD_AGE_LIMIT else min(words, -1.0)


AGE_AFTER = frozenset({"tahun", "thn", "th", "taun", "tahunan"})
AGE_BEFORE = frozenset({"umur", "usia", "berumur", "berusia"})


def age_mentioned(tokens: Sequence[str]) -> int | None:
    """An age in years named in the message ("umur 7", "9 thn"), if any."""
    for i, tok in enumerate(tokens):
        if tok.isdigit() and len(tok) <= 2:
            before = tokens[i - 1] if i else ""
            after = tokens[i + 1] if i + 1 < len(tokens) else ""
            if before in AGE_BEFORE or after in AGE_AFTER:
                return int(tok)
    return None


def _scores_all(keys: Iterable[str]) -> dict[str, float]:
    out = dict.fromkeys(_ALL_LEXICONS, 0.0)
    get = _INDEX.get
    for k in keys:
        hits = get(k)
        if hits:
            for name, weight in hits:
                out[name] += weight
    return out


def evidence(tokens: Sequence[str]) -> Evidence:
    stems = [stem(t) for t in tokens]
    keys = term_keys(tokens, stems)
    cue = _scores_all(keys)
    cat = {c: cue[c] for c in CATEGORY_TERMS}
    calm_bonus = 0.0
    if NEGATORS.intersection(tokens):
        pos_tokens = without_negated(tokens)
        if len(pos_tokens) < len(tokens):
            pos = _scores(term_keys(pos_tokens), _INDEX, DANGER)
            if pos["injury"] < cue["injury"] or pos["hazard"] < cue["hazard"]:
                calm_bonus = 2.5  # "tidak ada korban", "belum ada yang terluka"
            cue.update(pos)
    # Frames: precise patterns whose bonus goes to the category logits directly (not
    # scaled down like the keyword evidence).
    boost: dict[str, float] = {}
    if cue["reporting"] >= 3.0 and cue["abusive"] < 2.0:
        cue["incite"] *= 0.3  # "akun ini ngajak bakar kantor polsek, tolong diusut": a report
    # SARA hostility written by the sender (not somebody reporting such a post)
    if cue["sara_group"] >= 1.5 and cue["sara_hostile"] >= 2.5 and cue["reporting"] < 2.0:
        cue["incite"] += 3.0
        boost["hoaks"] = 2.5
    police = police_misconduct(tokens, stems)
    if police:
        boost["pelanggaran_anggota"] = police
    if cue["weapon"] >= 2.5 and not police and cat["pencurian"] < 2.5:
        # a weapon carried or brandished is violence, whoever the person is (labelling rules)
        cat["kekerasan"] += 2.0
        cat["ketertiban"] -= 1.0
    if (
        not police
        and ASSAULT.intersection(stems)
        and cat["pencurian"] < 2.5
        and FAMILY_OR_PARTNER.isdisjoint(tokens)
    ):
        # taxonomy rule 1: a person being hit outranks the disorder it started from
        boost["kekerasan"] = 1.0
        cat["ketertiban"] -= 1.0
    if cat["kecelakaan"] > 0 and not VEHICLE_OR_ROAD.intersection(tokens):
        cat["kecelakaan"] -= 2.5  # a fall from a tree is not a traffic accident
    if cue["slow_followup"] >= 2.0 and REPORT_WORDS.intersection(tokens):
        boost["pelayanan"] = 2.0  # slow follow-up of an earlier report (labelling rules)
    if QMARK in tokens and cue["hoax_ask"] >= 2.0:
        boost["hoaks"] = 2.0  # "hoaks itu ya pak, katanya ada perampokan lagi?"
    if accident_happened(tokens):
        boost["kecelakaan"] = 1.0  # the jam or the broken light is a consequence here
    family = family_violence(tokens, stems)
    if family:
        boost["asusila_kdrt"] = family
    for name, b in boost.items():
        cat[name] += b / 0.35  # the rules-only path sees the same ranking
    sarcasm_frame = praise_then_particle(stems)
    if sarcasm_frame:
        cue["sarcasm"] += sarcasm_frame
    return Evidence(
        category=cat,
        ongoing=cue["ongoing"],
        weapon=cue["weapon"],
        injury=cue["injury"],
        hazard=cue["hazard"],
        child=_child_score(cue["child"], age_mentioned(tokens), tokens),
        past=cue["past"],
        abusive=cue["abusive"],
        incite=cue["incite"],
        sarcasm=cue["sarcasm"],
        critic=cue["critic"],
        praise=cue["praise"],
        calm=cue["calm"] + calm_bonus,
        just=cue["just"],
        negsit=cue["negsit"],
        boost=boost or None,
    )
