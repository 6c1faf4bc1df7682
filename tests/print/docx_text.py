"""Prints the text of a Word document as python-docx reads it: the core properties, then
every paragraph of the body, the tables' cells and the page headers, one per line, each
prefixed with where it was found (`p:STYLE`, `cell:header` or `cell:body`, `header`)."""
import sys

import docx


def main(path):
    d = docx.Document(path)
    cp = d.core_properties
    print(f"title\t{cp.title}")
    print(f"author\t{cp.author}")
    print(f"language\t{cp.language}")
    print(f"created\t{cp.created.isoformat() if cp.created else ''}")
    for p in d.paragraphs:
        print(f"p:{p.style.name}\t{p.text}")
    for t in d.tables:
        for i, row in enumerate(t.rows):
            repeat = row._tr.trPr is not None and row._tr.trPr.find(
                "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader") is not None
            kind = "header" if repeat else "body"
            for c in row.cells:
                print(f"cell:{kind}\t{c.text}")
    for s in d.sections:
        for p in s.header.paragraphs:
            print(f"header\t{p.text}")


if __name__ == "__main__":
    main(sys.argv[1])
