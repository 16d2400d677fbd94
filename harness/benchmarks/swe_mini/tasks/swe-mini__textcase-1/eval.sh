#!/bin/bash
set -uxo pipefail
source /swe-env/bin/activate
cd /testbed
git checkout ad18e52c5fd3d2af9f88321ea1652a5f4b5a5d9a -- tests/test_cases.py
git apply --verbose - <<'EOF_2bd38f2ab3b9' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/tests/test_cases.py b/tests/test_cases.py
index 216cce2..5a04905 100644
--- a/tests/test_cases.py
+++ b/tests/test_cases.py
@@ -48,6 +48,10 @@ TITLES = {
     "NASA and the moon": "NASA and the Moon",
     "my iPhone is broken": "My iPhone Is Broken",
     "what are you looking at": "What Are You Looking At",
+    "[draft] notes on testing": "[Draft] Notes on Testing",
+    "(wip) plan for the release": "(Wip) Plan for the Release",
+    '"quoted" words and more': '"Quoted" Words and More',
+    "the [beta] release": "The [Beta] Release",
 }
 
 
@@ -56,6 +60,12 @@ def test_title(text):
     assert title_case(text) == TITLES[text]
 
 
+def test_title_capitalizes_after_leading_punctuation():
+    assert title_case("«bonjour» tout le monde") == "«Bonjour» Tout Le Monde"
+    assert title_case("'tis the season") == "'Tis the Season"
+    assert title_case("...and then") == "...And Then"
+
+
 def test_title_custom_small_words():
     assert title_case("war and peace", small_words=["AND"]) == "War and Peace"
     assert title_case("war and peace", small_words=()) == "War And Peace"
EOF_2bd38f2ab3b9
: '>>>>> Start Test Output'
pytest -rA tests/test_cases.py
: '>>>>> End Test Output'
git checkout ad18e52c5fd3d2af9f88321ea1652a5f4b5a5d9a -- tests/test_cases.py
