#!/bin/bash
set -uxo pipefail
source /swe-env/bin/activate
cd /testbed
git checkout 98e14432e75831152ed9df7a8f11b7d832be7ed8 -- tests/catalog/tests.py
git apply --verbose - <<'EOF_2c35e9277645' || { echo '>>>>> Patch Apply Failed'; exit 1; }
diff --git a/tests/catalog/tests.py b/tests/catalog/tests.py
index 32aa7c9..a293e36 100644
--- a/tests/catalog/tests.py
+++ b/tests/catalog/tests.py
@@ -21,7 +21,8 @@ class IsbnTests(SimpleTestCase):
                 self.assertIs(isbn.is_valid(text), True)
 
     def test_valid_isbn13(self):
-        for text in ("978-0-306-40615-7", "9780131103627", "979-10-90636-07-1"):
+        valid = ("978-0-306-40615-7", "9780131103627", "978-0-201-63361-0", "979-10-90636-07-1")
+        for text in valid:
             with self.subTest(text=text):
                 self.assertIs(isbn.is_valid(text), True)
 
@@ -44,6 +45,10 @@ class IsbnTests(SimpleTestCase):
         self.assertEqual(isbn.to_isbn13("0-8044-2957-X"), "9780804429573")
         self.assertEqual(isbn.to_isbn13("979-10-90636-07-1"), "9791090636071")
 
+    def test_to_isbn13_check_digit_zero(self):
+        self.assertEqual(isbn.to_isbn13("0-201-63361-2"), "9780201633610")
+        self.assertEqual(isbn.to_isbn13("3-16-148410-X"), "9783161484100")
+
     def test_to_isbn13_rejects_invalid(self):
         with self.assertRaisesMessage(isbn.InvalidISBN, "'0-306-40615-3' is not a valid ISBN"):
             isbn.to_isbn13("0-306-40615-3")
@@ -86,6 +91,12 @@ class BookModelTests(TestCase):
         book.full_clean()
         self.assertEqual(book.isbn, "9780131103627")
 
+    def test_clean_accepts_check_digit_zero(self):
+        """An ISBN-13 whose check digit is 0 is valid."""
+        book = Book(title="Design Patterns", author=self.author, isbn="978-0-201-63361-0")
+        book.full_clean()
+        self.assertEqual(book.isbn, "9780201633610")
+
     def test_clean_rejects_invalid_isbn(self):
         book = Book(title="Bad", author=self.author, isbn="0-13-110362-9")
         with self.assertRaises(ValidationError) as ctx:
EOF_2c35e9277645
: '>>>>> Start Test Output'
./tests/runtests.py --verbosity 2 --settings=test_sqlite --parallel 1 catalog.tests
: '>>>>> End Test Output'
git checkout 98e14432e75831152ed9df7a8f11b7d832be7ed8 -- tests/catalog/tests.py
