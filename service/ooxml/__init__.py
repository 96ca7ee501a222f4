"""Office Open XML shared by the writer and the reader sides.

``vocab``   namespaces, relationship and content types, and the one safe XML
            parser every part read from a user's file goes through.
``reader``  one Word reader: package, styles, numbering, effective formatting,
            paragraph text and list labels. The checker (lint) and the .docx
            importer both read documents through it, so they see the same
            labels and the same text.
"""
