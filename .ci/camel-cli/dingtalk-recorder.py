"""A DingTalk stand-in for .ci/camel-cli-check.sh: `python3 dingtalk-recorder.py PORT_FILE REQUESTS_FILE`.

Listens on a free loopback port (written to PORT_FILE once listening), answers every POST with
{"errcode":0,"errmsg":"ok"} and appends it to REQUESTS_FILE as one JSON line: {"path": ..., "body": ...}
(path with its query string, body as text).
"""
import http.server
import json
import os
import sys

port_file, requests_file = sys.argv[1], sys.argv[2]


class Recorder(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8")
        with open(requests_file, "a", encoding="utf-8") as out:
            out.write(json.dumps({"path": self.path, "body": body}) + "\n")
        answer = b'{"errcode":0,"errmsg":"ok"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.replace(port_file + ".tmp", port_file)
server.serve_forever()
