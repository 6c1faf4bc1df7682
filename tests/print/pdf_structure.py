"""Prints what a PDF says about its accessibility, as pikepdf reads it: the document
language, whether it is marked as tagged, the structure types of its structure tree (one
line each, in document order, with the count of their children), and whether the page
content marks artifacts (the watermark, headers and footers)."""
import sys

import pikepdf


def walk(node, out, depth=0):
    if depth > 200:
        return
    if isinstance(node, pikepdf.Array):
        for k in node:
            walk(k, out, depth + 1)
        return
    if not isinstance(node, pikepdf.Dictionary):
        return
    s = node.get("/S")
    if s is not None:
        out.append(str(s)[1:])
    kids = node.get("/K")
    if kids is not None:
        walk(kids, out, depth + 1)


def main(path):
    pdf = pikepdf.open(path)
    root = pdf.Root
    print(f"lang\t{root.get('/Lang', '')}")
    mark = root.get("/MarkInfo")
    print(f"marked\t{bool(mark.get('/Marked', False)) if mark is not None else False}")
    tree = root.get("/StructTreeRoot")
    types = []
    if tree is not None:
        walk(tree.get("/K"), types)
    for t in types:
        print(f"struct\t{t}")
    artifacts = 0
    for page in pdf.pages:
        for operands, op in pikepdf.parse_content_stream(page):
            if str(op) in ("BMC", "BDC") and operands and str(operands[0]) == "/Artifact":
                artifacts += 1
    print(f"artifacts\t{artifacts}")
    title = pdf.open_metadata().get("dc:title", "")
    print(f"title\t{title}")


if __name__ == "__main__":
    main(sys.argv[1])
