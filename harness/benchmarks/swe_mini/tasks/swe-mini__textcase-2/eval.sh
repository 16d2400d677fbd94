#!/bin/bash
set -uxo pipefail
source /swe-env/bin/activate
cd /testbed
git checkout a76663c0cb9bb5969a797ab29f43ea7db4334466 -- tests/test_slug.py
git apply --verbose - <<'EOF_8420f9a1dbe5' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/tests/test_slug.py b/tests/test_slug.py
index 10ffc28..73cabf6 100644
--- a/tests/test_slug.py
+++ b/tests/test_slug.py
@@ -46,6 +46,34 @@ def test_unique_slug():
     assert unique_slug("My Post", {"my-post", "my-post-2"}) == "my-post-3"
 
 
+GERMAN = {
+    "Müller Straße": "mueller-strasse",
+    "Größe über alles": "groesse-ueber-alles",
+    "ÄRGER im Büro": "aerger-im-buero",
+}
+
+
+@pytest.mark.parametrize("text", list(GERMAN))
+def test_slugify_german(text):
+    assert slugify(text, lang="de") == GERMAN[text]
+
+
+def test_slugify_danish():
+    assert slugify("Århus Ø", lang="da") == "aarhus-o"
+    assert unique_slug("Ålborg", {"aalborg"}, lang="da") == "aalborg-2"
+
+
+def test_language_table_only_when_asked():
+    assert slugify("Müller") == "muller"
+    assert transliterate("Müller Ärger", lang="DE") == "Mueller Aerger"
+    assert transliterate("Straße", lang="de") == "Strasse"
+
+
+def test_unknown_language():
+    with pytest.raises(ValueError, match="no transliteration table for language 'xx'"):
+        transliterate("abc", lang="xx")
+
+
 def test_transliterate_drops_what_it_cannot_spell():
     assert transliterate("Ærø 東京") == "AEro "
     assert transliterate("ﬁne ①") == "fine 1"
EOF_8420f9a1dbe5
: '>>>>> Start Test Output'
pytest -rA tests/test_slug.py
: '>>>>> End Test Output'
git checkout a76663c0cb9bb5969a797ab29f43ea7db4334466 -- tests/test_slug.py
