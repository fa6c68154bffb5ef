"""The managerial and socio-cultural competencies of PermenPANRB 38/2017 (Peraturan Menteri
PANRB Nomor 38 Tahun 2017 tentang Standar Kompetensi Jabatan ASN, Lampiran: Kamus Kompetensi
Manajerial dan Sosial Kultural), seeded by migration 0012.

Each competency has a definition and five levels (1 lowest, 5 highest); each level a short
description (deskripsi) and its behaviour indicators (indikator perilaku).

Fidelity: the codes, names and the sense of each level follow the regulation. The definitions
and level descriptions are faithful short renderings; the indicators are SHORT PARAPHRASES of
the regulation's indicator lists (which give three to four items per level), not its verbatim
text, because the full text could not be confirmed here. Check them against the Lampiran
before relying on their wording. The regulation writes the socio-cultural competency
"Perekat Bangsa" without a code; the portal gives it the code ``SK.01``.

This module is data only. Migration 0012 reads it to seed a new database; a later edit here
never reaches a database already seeded (change those rows with a new migration).
"""

from __future__ import annotations

MANAJERIAL = "manajerial"
SOSIAL_KULTURAL = "sosial_kultural"
TEKNIS = "teknis"

#: Source cited with every seeded row.
SOURCE = "PermenPANRB 38/2017, Lampiran (Kamus Kompetensi)"

#: (code, kind, name, definition, [(level description, [indicators]) × 5])
COMPETENCIES: tuple[tuple[str, str, str, str, list[tuple[str, list[str]]]], ...] = (
    ("M.01", MANAJERIAL, "Integritas",
     "Konsisten berperilaku selaras dengan nilai, norma dan/atau etika organisasi, jujur "
     "dalam hubungan dengan manajemen, rekan kerja, bawahan dan pemangku kepentingan, serta "
     "bertanggung jawab atas tindakan atau keputusan beserta risikonya.",
     [("Mampu bertindak sesuai nilai, norma, dan etika organisasi dalam kapasitas pribadi.",
       ["Bertingkah laku sesuai perkataan dan berkata sesuai fakta.",
        "Melaksanakan peraturan dan kode etik organisasi dalam pekerjaan sehari-hari.",
        "Tidak menjanjikan atau memberikan sesuatu yang bertentangan dengan aturan."]),
      ("Mampu mengingatkan dan mengajak rekan kerja untuk bertindak sesuai nilai, norma, "
       "dan etika organisasi.",
       ["Mengingatkan rekan kerja agar bertindak sesuai nilai dan etika organisasi.",
        "Mengakui kesalahan dan segera memperbaikinya."]),
      ("Mampu memastikan dan menanamkan keyakinan bersama agar anggota yang dipimpin "
       "bertindak sesuai nilai, norma, dan etika organisasi.",
       ["Memastikan anggota unit kerja bertindak sesuai nilai dan etika organisasi.",
        "Memberi apresiasi dan teguran sesuai aturan."]),
      ("Mampu menciptakan situasi kerja yang membuat rekan kerja, kolega, dan bawahan "
       "patuh pada nilai, norma, dan etika organisasi.",
       ["Menjadi contoh penerapan nilai organisasi di unit kerja.",
        "Mengembangkan sistem yang mencegah pelanggaran etika."]),
      ("Mampu menjadi teladan dalam penerapan standar keadilan dan etika di tingkat "
       "nasional.",
       ["Menjadi teladan integritas bagi instansi dan pemangku kepentingan.",
        "Membangun budaya etika tinggi di tingkat instansi dan nasional."])]),
    ("M.02", MANAJERIAL, "Kerjasama",
     "Kemampuan menjalin, membina, dan mempertahankan hubungan kerja yang efektif, memiliki "
     "komitmen saling membantu dalam penyelesaian tugas, dan mengoptimalkan sumber daya "
     "untuk tujuan strategis organisasi.",
     [("Berpartisipasi sebagai anggota tim yang baik, melakukan tugas bagiannya, dan "
       "mendukung keputusan tim.",
       ["Menyelesaikan bagian tugasnya dalam tim.", "Mendukung keputusan tim."]),
      ("Menumbuhkan tim kerja yang partisipatif dan efektif.",
       ["Membantu orang lain menyelesaikan tugas.", "Berbagi informasi yang relevan."]),
      ("Efektif membangun tim kerja untuk peningkatan kinerja organisasi.",
       ["Melihat kekuatan dan kelemahan anggota tim.",
        "Membangun komitmen tim pada tujuan unit."]),
      ("Membangun komitmen tim dan sinergi antarunit.",
       ["Membangun sinergi antarunit kerja.", "Memfasilitasi kepentingan yang berbeda."]),
      ("Menciptakan situasi kerja sama yang efektif di tingkat instansi dan lintas "
       "instansi.",
       ["Menggalang kerja sama lintas instansi dan pemangku kepentingan.",
        "Menciptakan budaya kolaborasi di instansi."])]),
    ("M.03", MANAJERIAL, "Komunikasi",
     "Kemampuan menerangkan pandangan dan gagasan secara jelas, sistematis, dan meyakinkan, "
     "lisan maupun tertulis, serta mendengarkan dan memahami pesan orang lain.",
     [("Menyampaikan informasi dengan jelas, lengkap, dan dapat dipahami.",
       ["Menyampaikan informasi secara jelas, lisan dan tertulis.",
        "Mendengarkan dan memastikan pesan dipahami."]),
      ("Aktif menjalankan komunikasi secara formal dan informal; bersedia mendengarkan "
       "orang lain.",
       ["Menggunakan gaya komunikasi sesuai lawan bicara.",
        "Mengajukan pertanyaan untuk memahami pandangan orang lain."]),
      ("Berkomunikasi secara asertif, terampil berkomunikasi lisan dan tertulis untuk "
       "menyampaikan informasi yang sensitif atau kompleks.",
       ["Menyampaikan informasi sensitif atau kompleks secara runtut.",
        "Menyusun materi presentasi dan tulisan yang meyakinkan."]),
      ("Mampu mengemukakan pemikiran multidimensi secara lisan dan tertulis untuk "
       "mendorong kesepakatan dalam meningkatkan kinerja.",
       ["Mengemukakan gagasan yang kompleks kepada berbagai pihak.",
        "Membangun kesepakatan melalui komunikasi."]),
      ("Menggagas sistem komunikasi yang terbuka secara strategis untuk mencari solusi "
       "dan meningkatkan kinerja.",
       ["Membangun sistem komunikasi instansi yang terbuka.",
        "Menjadi narasumber yang meyakinkan di forum strategis."])]),
    ("M.04", MANAJERIAL, "Orientasi pada Hasil",
     "Kemampuan mempertahankan komitmen pribadi yang tinggi untuk menyelesaikan tugas, dapat "
     "diandalkan, bertanggung jawab, mampu mengidentifikasi risiko dan peluang secara "
     "sistematis, serta berinisiatif meningkatkan kinerja.",
     [("Bertanggung jawab untuk memenuhi standar kerja.",
       ["Menyelesaikan tugas sesuai standar dan tenggat.",
        "Bekerja dengan teliti dan dapat diandalkan."]),
      ("Berupaya meningkatkan hasil kerja pribadi yang lebih tinggi dari standar yang "
       "ditetapkan, mencari, mengembangkan, dan mencoba cara kerja baru.",
       ["Menetapkan target kerja di atas standar.", "Mencoba cara kerja yang lebih baik."]),
      ("Menetapkan target kerja yang menantang bagi unit kerja, memberi apresiasi dan "
       "teguran untuk mendorong kinerja.",
       ["Menetapkan target unit yang menantang.", "Memantau dan mendorong kinerja unit."]),
      ("Mendorong unit kerja mencapai target yang ditetapkan atau melebihi hasil kerja "
       "sebelumnya.",
       ["Mengelola sumber daya untuk melampaui target.",
        "Memperbaiki proses kerja berdasarkan data kinerja."]),
      ("Kemampuan menyusun dan mengembangkan strategi untuk mencapai tujuan strategis "
       "organisasi.",
       ["Menyusun strategi pencapaian kinerja instansi.",
        "Mengelola risiko dan peluang strategis."])]),
    ("M.05", MANAJERIAL, "Pelayanan Publik",
     "Kemampuan melaksanakan tugas pemerintahan, pembangunan, dan pelayanan publik secara "
     "profesional, transparan, mengikuti standar pelayanan yang objektif, netral, tidak "
     "memihak, tidak diskriminatif, serta tidak terpengaruh kepentingan pribadi.",
     [("Menjalankan tugas mengikuti standar pelayanan.",
       ["Memberi pelayanan sesuai standar pelayanan.",
        "Bersikap ramah, sopan, dan tidak diskriminatif."]),
      ("Mampu mensupervisi atau mengawasi dan menyelia atau mendampingi pelaksanaan tugas "
       "sesuai standar pelayanan.",
       ["Mengawasi pelayanan agar sesuai standar.",
        "Menanggapi keluhan pengguna layanan."]),
      ("Mampu memanfaatkan kekuatan kelompok serta memperbaiki standar pelayanan publik di "
       "lingkup unit kerja.",
       ["Memperbaiki standar pelayanan unit kerja.",
        "Memanfaatkan masukan masyarakat untuk perbaikan."]),
      ("Mampu memonitor, mengevaluasi, memperhitungkan, dan mengantisipasi dampak "
       "kebijakan pelayanan publik.",
       ["Mengevaluasi dampak kebijakan pelayanan.",
        "Mengantisipasi kebutuhan pelayanan di masa depan."]),
      ("Mampu memastikan kebijakan pelayanan publik yang menjamin terselenggaranya "
       "pelayanan yang netral, objektif, transparan, dan akuntabel.",
       ["Menetapkan kebijakan pelayanan yang akuntabel.",
        "Membangun budaya pelayanan prima di instansi."])]),
    ("M.06", MANAJERIAL, "Pengembangan Diri dan Orang Lain",
     "Kemampuan meningkatkan pengetahuan dan menyempurnakan keterampilan diri, serta "
     "menginspirasi orang lain untuk mengembangkan dan menyempurnakan pengetahuan dan "
     "keterampilan yang relevan dengan kerja dan pengembangan karier.",
     [("Pengembangan diri.",
       ["Mengidentifikasi kebutuhan pengembangan diri.",
        "Mengikuti kegiatan belajar untuk meningkatkan kompetensi."]),
      ("Meningkatkan kemampuan bawahan dengan memberikan contoh dan penjelasan cara "
       "melaksanakan suatu pekerjaan.",
       ["Memberi contoh dan penjelasan cara kerja kepada bawahan.",
        "Berbagi pengetahuan dengan rekan kerja."]),
      ("Memberikan umpan balik dan membimbing.",
       ["Memberi umpan balik yang membangun.", "Membimbing bawahan secara terencana."]),
      ("Menyusun program pengembangan jangka panjang dalam rangka mendorong manajemen "
       "pembelajaran.",
       ["Menyusun program pengembangan pegawai jangka panjang.",
        "Mendorong pembelajaran di unit kerja."]),
      ("Menciptakan situasi yang mendorong organisasi untuk mengembangkan kemampuan "
       "belajar secara berkelanjutan.",
       ["Membangun organisasi pembelajar.",
        "Menjadikan pengembangan kompetensi bagian dari strategi instansi."])]),
    ("M.07", MANAJERIAL, "Mengelola Perubahan",
     "Kemampuan menyesuaikan diri dengan situasi baru atau berubah dan tidak bergantung "
     "secara berlebihan pada metode dan proses lama, mengambil tindakan untuk mendukung dan "
     "melaksanakan insiatif perubahan, serta memimpin usaha perubahan.",
     [("Mengikuti perubahan dengan arahan.",
       ["Menyesuaikan cara kerja dengan perubahan yang ditetapkan.",
        "Mengikuti arahan pelaksanaan perubahan."]),
      ("Proaktif beradaptasi mengikuti perubahan.",
       ["Menyesuaikan diri dengan cepat pada situasi baru.",
        "Mengusulkan cara kerja baru yang lebih baik."]),
      ("Membantu orang lain mengikuti perubahan, mengantisipasi perubahan secara tepat.",
       ["Menjelaskan manfaat perubahan kepada orang lain.",
        "Mengantisipasi dampak perubahan di unit kerja."]),
      ("Memimpin perubahan pada unit kerja.",
       ["Merencanakan dan memimpin perubahan di unit kerja.",
        "Mengelola penolakan terhadap perubahan."]),
      ("Mengarahkan perubahan pada tingkat instansi.",
       ["Menyusun arah perubahan instansi.",
        "Membangun budaya terbuka terhadap perubahan."])]),
    ("M.08", MANAJERIAL, "Pengambilan Keputusan",
     "Kemampuan membuat keputusan yang baik secara tepat waktu dan dengan keyakinan diri "
     "setelah mempertimbangkan prinsip kehati-hatian, dirumuskan secara sistematis dan "
     "seksama berdasarkan informasi, alternatif pemecahan masalah, dan konsekuensinya, serta "
     "bertanggung jawab atas keputusan yang diambil.",
     [("Mengumpulkan informasi untuk bertindak sesuai kewenangan.",
       ["Mengumpulkan informasi sebelum bertindak.",
        "Mengambil keputusan sesuai kewenangannya."]),
      ("Menganalisis masalah secara mendalam.",
       ["Mengurai masalah dan penyebabnya.", "Menyusun alternatif pemecahan masalah."]),
      ("Membandingkan berbagai alternatif, menyeimbangkan risiko keberhasilan dalam "
       "implementasi.",
       ["Membandingkan alternatif beserta risikonya.",
        "Mengambil keputusan tepat waktu dan mempertanggungjawabkannya."]),
      ("Menyelesaikan masalah yang mengandung risiko tinggi, mengantisipasi dampak "
       "keputusan, membuat tindakan pengamanan, mitigasi risiko.",
       ["Memutuskan masalah berisiko tinggi.", "Menyiapkan mitigasi risiko keputusan."]),
      ("Menghasilkan solusi dan mengambil keputusan untuk mengatasi permasalahan jangka "
       "panjang/strategis, berdampak nasional.",
       ["Mengambil keputusan strategis berdampak luas.",
        "Menetapkan kebijakan untuk masalah jangka panjang."])]),
    ("SK.01", SOSIAL_KULTURAL, "Perekat Bangsa",
     "Kemampuan dalam mempromosikan sikap toleransi, keterbukaan, peka terhadap perbedaan "
     "individu/kelompok masyarakat; mampu menjadi perpanjangan tangan pemerintah dalam "
     "mempersatukan masyarakat dan membangun hubungan sosial psikologis dengan masyarakat "
     "di tengah kemajemukan Indonesia.",
     [("Peka memahami dan menerima kemajemukan.",
       ["Menghargai perbedaan latar belakang orang lain.",
        "Bersikap terbuka terhadap pandangan yang berbeda."]),
      ("Aktif mengembangkan sikap saling menghargai, menekankan persamaan dan persatuan.",
       ["Menekankan persamaan dan persatuan dalam bekerja.",
        "Mendorong sikap saling menghargai di lingkungan kerja."]),
      ("Mengembangkan sikap saling menghargai, menekankan persamaan dan persatuan di "
       "lingkup unit kerja.",
       ["Mengelola keberagaman di unit kerja.",
        "Mencegah konflik karena perbedaan latar belakang."]),
      ("Mendayagunakan perbedaan secara konstruktif dan kreatif untuk meningkatkan "
       "efektivitas organisasi.",
       ["Memanfaatkan keberagaman untuk kinerja organisasi.",
        "Menjembatani kepentingan kelompok yang berbeda."]),
      ("Wakil pemerintah untuk membangun hubungan sosial psikologis.",
       ["Menjadi perekat masyarakat yang majemuk.",
        "Membangun hubungan sosial psikologis masyarakat dengan pemerintah."])]),
)

#: code -> name, for labels.
NAMES = {code: name for code, _kind, name, _definition, _levels in COMPETENCIES}
