<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>BestPick</name>
    <message>
        <source>no answers to pick from</source>
        <translation>keine Antworten zur Auswahl</translation>
    </message>
    <message>
        <source>the judge&apos;s answer is empty</source>
        <translation>die Antwort des Bewerters ist leer</translation>
    </message>
    <message>
        <source>the judge&apos;s answer is too long (%1 characters)</source>
        <translation>die Antwort des Bewerters ist zu lang (%1 Zeichen)</translation>
    </message>
    <message>
        <source>no JSON verdict in the judge&apos;s answer (&quot;%1&quot;)</source>
        <translation>kein JSON-Urteil in der Antwort des Bewerters (&quot;%1&quot;)</translation>
    </message>
    <message>
        <source>the verdict names no best answer</source>
        <translation>das Urteil nennt keine beste Antwort</translation>
    </message>
    <message>
        <source>the verdict&apos;s best is not a label (%1)</source>
        <translation>der Wert für best im Urteil ist keine Kennung (%1)</translation>
    </message>
    <message>
        <source>the verdict&apos;s best &quot;%1&quot; is not one of the labels shown (A to %2)</source>
        <translation>der Wert &quot;%1&quot; für best im Urteil ist keine der gezeigten Kennungen (A bis %2)</translation>
    </message>
    <message>
        <source>the verdict&apos;s reason is not a string</source>
        <translation>der Wert für reason im Urteil ist keine Zeichenkette</translation>
    </message>
</context>
<context>
    <name>CellCodec</name>
    <message>
        <source>its chunk timeline: %1</source>
        <translation>die Chunk-Zeitleiste: %1</translation>
    </message>
    <message>
        <source>its chain turns are not valid JSON</source>
        <translation>die Ketten-Turns sind kein gültiges JSON</translation>
    </message>
    <message>
        <source>its thoughts are not valid JSON</source>
        <translation>die Gedanken sind kein gültiges JSON</translation>
    </message>
</context>
<context>
    <name>ChainTranscript</name>
    <message>
        <source>Tool result (unknown tool)</source>
        <translation>Tool-Ergebnis (unbekanntes Tool)</translation>
    </message>
    <message>
        <source>Tool result</source>
        <translation>Tool-Ergebnis</translation>
    </message>
    <message>
        <source>Tool result (failure)</source>
        <translation>Tool-Ergebnis (Fehlschlag)</translation>
    </message>
    <message>
        <source>Tool result (missing information)</source>
        <translation>Tool-Ergebnis (fehlende Information)</translation>
    </message>
    <message>
        <source>Tool result (interrupted)</source>
        <translation>Tool-Ergebnis (unterbrochen)</translation>
    </message>
    <message>
        <source>passed</source>
        <translation>bestanden</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>nicht bestanden</translation>
    </message>
    <message>
        <source>Turn %1</source>
        <translation>Runde %1</translation>
    </message>
    <message>
        <source>%1 · score %2%</source>
        <translation>%1 · Punktzahl %2%</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Tool call</source>
        <translation>Tool-Aufruf</translation>
    </message>
    <message>
        <source>(the call was cancelled)</source>
        <translation>(der Aufruf wurde abgebrochen)</translation>
    </message>
    <message>
        <source>User (interjects)</source>
        <translation>Benutzer (unterbricht)</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Gestoppt</translation>
    </message>
    <message>
        <source>the model kept calling tools past the round cap</source>
        <translation>das Modell rief über die Rundenobergrenze hinaus weiter Tools auf</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>Assistent</translation>
    </message>
    <message>
        <source>Waiting for judge</source>
        <translation>Warte auf Richter</translation>
    </message>
    <message>
        <source>Failed check</source>
        <translation>Prüfung fehlgeschlagen</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>CliProgress</name>
    <message>
        <source>%1/%2 done, %3 spent, %4 elapsed, ETA %5</source>
        <translation>%1/%2 erledigt, %3 ausgegeben, %4 vergangen, Restzeit ca. %5</translation>
    </message>
</context>
<context>
    <name>CodeSandbox</name>
    <message>
        <source>the interpreter must be a name or an absolute path, not &quot;%1&quot;</source>
        <translation>der Interpreter muss ein Name oder ein absoluter Pfad sein, nicht &quot;%1&quot;</translation>
    </message>
    <message>
        <source>the interpreter &quot;%1&quot; was not found</source>
        <translation>der Interpreter &quot;%1&quot; wurde nicht gefunden</translation>
    </message>
    <message>
        <source>the interpreter %1 is outside /usr, where the sandbox cannot see it</source>
        <translation>der Interpreter %1 liegt außerhalb von /usr, wo die Sandbox ihn nicht sieht</translation>
    </message>
    <message>
        <source>a code-tests check needs tests (the assertion&apos;s value)</source>
        <translation>eine code-tests-Prüfung braucht Tests (den Wert der Assertion)</translation>
    </message>
    <message>
        <source>code-tests need bubblewrap (Debian: apt install bubblewrap) or an explicit opt-in to run generated code unsandboxed</source>
        <translation>code-tests brauchen bubblewrap (Debian: apt install bubblewrap) oder eine ausdrückliche Zustimmung, generierten Code ohne Sandbox auszuführen</translation>
    </message>
    <message>
        <source>could not write the code to a temporary directory</source>
        <translation>der Code konnte nicht in ein temporäres Verzeichnis geschrieben werden</translation>
    </message>
    <message>
        <source>could not start %1: %2</source>
        <translation>%1 konnte nicht gestartet werden: %2</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source> (unsandboxed)</source>
        <translation> (ohne Sandbox)</translation>
    </message>
    <message>
        <source>timed out after %1 s%2</source>
        <translation>Zeitüberschreitung nach %1 s%2</translation>
    </message>
    <message>
        <source>the sandbox did not start%1</source>
        <translation>die Sandbox ist nicht gestartet%1</translation>
    </message>
    <message>
        <source>the tests passed and report a score of %1%2</source>
        <translation>die Tests wurden bestanden und melden eine Punktzahl von %1%2</translation>
    </message>
    <message>
        <source>the tests passed%1</source>
        <translation>die Tests wurden bestanden%1</translation>
    </message>
    <message>
        <source>the tests crashed</source>
        <translation>die Tests sind abgestürzt</translation>
    </message>
    <message>
        <source>the tests were killed by signal %1</source>
        <translation>die Tests wurden durch Signal %1 beendet</translation>
    </message>
    <message>
        <source>the tests failed (exit code %1)</source>
        <translation>die Tests sind fehlgeschlagen (Exit-Code %1)</translation>
    </message>
</context>
<context>
    <name>CoreDumps</name>
    <message>
        <source>Could not turn off core dumps: %1</source>
        <translation>Core-Dumps konnten nicht deaktiviert werden: %1</translation>
    </message>
    <message>
        <source>Could not make the process non-dumpable: %1</source>
        <translation>Der Prozess konnte nicht als nicht dumpbar markiert werden: %1</translation>
    </message>
</context>
<context>
    <name>CostCalculator</name>
    <message>
        <source>usage not reported</source>
        <translation>Nutzung nicht gemeldet</translation>
    </message>
    <message>
        <source>output token count not reported</source>
        <translation>Anzahl der Ausgabe-Tokens nicht gemeldet</translation>
    </message>
    <message>
        <source>input token count not reported</source>
        <translation>Anzahl der Eingabe-Tokens nicht gemeldet</translation>
    </message>
    <message>
        <source>inconsistent usage: negative token count</source>
        <translation>inkonsistente Nutzung: negative Token-Anzahl</translation>
    </message>
    <message>
        <source>inconsistent usage: cached and cache-write tokens exceed input tokens</source>
        <translation>inkonsistente Nutzung: zwischengespeicherte und Cache-Schreib-Tokens übersteigen die Eingabe-Tokens</translation>
    </message>
    <message>
        <source>inconsistent usage: reasoning tokens exceed output tokens</source>
        <translation>inkonsistente Nutzung: Denk-Tokens übersteigen die Ausgabe-Tokens</translation>
    </message>
    <message>
        <source>input tokens</source>
        <translation>Eingabe-Tokens</translation>
    </message>
    <message>
        <source>cached input tokens</source>
        <translation>zwischengespeicherte Eingabe-Tokens</translation>
    </message>
    <message>
        <source>cache-write tokens</source>
        <translation>Cache-Schreib-Tokens</translation>
    </message>
    <message>
        <source>output tokens</source>
        <translation>Ausgabe-Tokens</translation>
    </message>
    <message>
        <source>no price for %1</source>
        <translation>kein Preis für %1</translation>
    </message>
</context>
<context>
    <name>CsvImporter</name>
    <message>
        <source>unexpected character after a closing quote (a quote inside a quoted field is written as two quotes)</source>
        <translation>unerwartetes Zeichen nach einem schließenden Anführungszeichen (ein Anführungszeichen in einem Feld in Anführungszeichen wird als zwei Anführungszeichen geschrieben)</translation>
    </message>
    <message>
        <source>a quote inside an unquoted field (quote the whole field and double the quote)</source>
        <translation>ein Anführungszeichen in einem Feld ohne Anführungszeichen (setzen Sie das ganze Feld in Anführungszeichen und verdoppeln Sie das Anführungszeichen)</translation>
    </message>
    <message>
        <source>the quoted field opened here is never closed</source>
        <translation>das hier geöffnete Feld in Anführungszeichen wird nie geschlossen</translation>
    </message>
    <message>
        <source>%1: the file is empty (a header row with a &quot;prompt&quot; column is required)</source>
        <translation>%1: die Datei ist leer (eine Kopfzeile mit einer Spalte &quot;prompt&quot; ist erforderlich)</translation>
    </message>
    <message>
        <source>column %1 has no name</source>
        <translation>Spalte %1 hat keinen Namen</translation>
    </message>
    <message>
        <source>the column &quot;%1&quot; appears twice</source>
        <translation>die Spalte &quot;%1&quot; kommt zweimal vor</translation>
    </message>
    <message>
        <source>no &quot;prompt&quot; column (the header has: %1)</source>
        <translation>keine Spalte &quot;prompt&quot; (die Kopfzeile enthält: %1)</translation>
    </message>
    <message>
        <source>Imported from %1</source>
        <translation>Importiert aus %1</translation>
    </message>
    <message>
        <source>%1 field(s), but the header has %2</source>
        <translation>%1 Feld(er), aber die Kopfzeile hat %2</translation>
    </message>
    <message>
        <source>id: the id is empty</source>
        <translation>id: die ID ist leer</translation>
    </message>
    <message>
        <source>id: duplicate case id &quot;%1&quot;</source>
        <translation>id: doppelte Fall-ID &quot;%1&quot;</translation>
    </message>
    <message>
        <source>prompt: the prompt is empty</source>
        <translation>prompt: der Prompt ist leer</translation>
    </message>
    <message>
        <source>prompt: unknown variable {{%1}} (no column of that name)</source>
        <translation>prompt: unbekannte Variable {{%1}} (keine Spalte dieses Namens)</translation>
    </message>
    <message>
        <source>the file has a header but no cases</source>
        <translation>die Datei hat eine Kopfzeile, aber keine Fälle</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>%1 kann nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <source>%1: the file is too large (the limit is %2 MiB)</source>
        <translation>%1: die Datei ist zu groß (die Grenze liegt bei %2 MiB)</translation>
    </message>
</context>
<context>
    <name>Disagreement</name>
    <message>
        <source>Number</source>
        <translation>Zahl</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
</context>
<context>
    <name>EmbeddedSimulator</name>
    <message>
        <source>The simulator cannot listen on 127.0.0.1: %1</source>
        <translation>Der Simulator kann nicht auf 127.0.0.1 lauschen: %1</translation>
    </message>
</context>
<context>
    <name>EngineText</name>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>Cannot resolve %1</source>
        <translation>%1 kann nicht aufgelöst werden</translation>
    </message>
    <message>
        <source>Connection refused by %1 — is the server running?</source>
        <translation>Verbindung von %1 abgelehnt — läuft der Server?</translation>
    </message>
    <message>
        <source>%1 closed the connection</source>
        <translation>%1 hat die Verbindung geschlossen</translation>
    </message>
    <message>
        <source>TLS handshake with %1 failed</source>
        <translation>TLS-Handshake mit %1 fehlgeschlagen</translation>
    </message>
    <message>
        <source>TLS certificate not trusted: %1</source>
        <translation>TLS-Zertifikat nicht vertrauenswürdig: %1</translation>
    </message>
    <message>
        <source>The network is not available</source>
        <translation>Das Netzwerk ist nicht verfügbar</translation>
    </message>
    <message>
        <source>The proxy refused the connection to %1</source>
        <translation>Der Proxy hat die Verbindung zu %1 abgelehnt</translation>
    </message>
    <message>
        <source>The proxy closed the connection to %1</source>
        <translation>Der Proxy hat die Verbindung zu %1 geschlossen</translation>
    </message>
    <message>
        <source>Cannot resolve the proxy for %1</source>
        <translation>Der Proxy für %1 kann nicht aufgelöst werden</translation>
    </message>
    <message>
        <source>The proxy for %1 did not answer in time</source>
        <translation>Der Proxy für %1 hat nicht rechtzeitig geantwortet</translation>
    </message>
    <message>
        <source>The proxy for %1 requires authentication</source>
        <translation>Der Proxy für %1 verlangt eine Authentifizierung</translation>
    </message>
    <message>
        <source>Malformed HTTP response from %1</source>
        <translation>Fehlerhafte HTTP-Antwort von %1</translation>
    </message>
    <message>
        <source>timed out talking to %1</source>
        <translation>Zeitüberschreitung bei der Kommunikation mit %1</translation>
    </message>
    <message>
        <source>Network error talking to %1 (code %2)</source>
        <translation>Netzwerkfehler bei der Kommunikation mit %1 (Code %2)</translation>
    </message>
    <message>
        <source>Network error talking to %1: %2</source>
        <translation>Netzwerkfehler bei der Kommunikation mit %1: %2</translation>
    </message>
    <message>
        <source>timed out: could not connect to %1 within %2</source>
        <translation>Zeitüberschreitung: keine Verbindung zu %1 innerhalb von %2</translation>
    </message>
    <message>
        <source>timed out: %1 sent no response within %2</source>
        <translation>Zeitüberschreitung: %1 hat innerhalb von %2 keine Antwort gesendet</translation>
    </message>
    <message>
        <source>timed out: no content within %1 of sending the request</source>
        <translation>Zeitüberschreitung: kein Inhalt innerhalb von %1 nach dem Senden der Anfrage</translation>
    </message>
    <message>
        <source>timed out: no data for %1</source>
        <translation>Zeitüberschreitung: %1 lang keine Daten</translation>
    </message>
    <message>
        <source>timed out: no new content for %1 (only keep-alives)</source>
        <translation>Zeitüberschreitung: %1 lang kein neuer Inhalt (nur Keep-alives)</translation>
    </message>
    <message>
        <source>timed out (deadline): no complete answer after %1</source>
        <translation>Zeitüberschreitung (Frist): keine vollständige Antwort nach %1</translation>
    </message>
    <message>
        <source>timed out after %1</source>
        <translation>Zeitüberschreitung nach %1</translation>
    </message>
    <message>
        <source>Connection refused by %1 — is Ollama running? Start it with “ollama serve”.</source>
        <translation>Verbindung von %1 abgelehnt — läuft Ollama? Starten Sie es mit “ollama serve”.</translation>
    </message>
    <message>
        <source>Connection refused by %1 — is %2 running?</source>
        <translation>Verbindung von %1 abgelehnt — läuft %2?</translation>
    </message>
    <message>
        <source>blocked by the provider&apos;s safety filter (%1)</source>
        <translation>vom Sicherheitsfilter des Anbieters blockiert (%1)</translation>
    </message>
    <message>
        <source>no content type</source>
        <translation>kein Inhaltstyp</translation>
    </message>
    <message>
        <source>Unexpected response (%1) from %2</source>
        <translation>Unerwartete Antwort (%1) von %2</translation>
    </message>
    <message>
        <source>Unexpected response (%1) from %2: %3</source>
        <translation>Unerwartete Antwort (%1) von %2: %3</translation>
    </message>
    <message>
        <source>The prompt is longer than the model&apos;s context window; shorten it or pick a model with a longer context (%1)</source>
        <translation>Der Prompt ist länger als das Kontextfenster des Modells; kürzen Sie ihn oder wählen Sie ein Modell mit längerem Kontext (%1)</translation>
    </message>
</context>
<context>
    <name>Grader</name>
    <message>
        <source>the assertion&apos;s value is not a JSON schema</source>
        <translation>der Wert der Zusicherung ist kein JSON-Schema</translation>
    </message>
    <message>
        <source> (not checked: %1)</source>
        <translation> (nicht geprüft: %1)</translation>
    </message>
    <message>
        <source>%1 matches the schema%2</source>
        <translation>%1 entspricht dem Schema%2</translation>
    </message>
    <message>
        <source>%1 does not match the schema: %2</source>
        <translation>%1 entspricht nicht dem Schema: %2</translation>
    </message>
    <message>
        <source> (read from the answer text)</source>
        <translation> (aus dem Antworttext gelesen)</translation>
    </message>
    <message>
        <source>no tool call in the answer</source>
        <translation>kein Werkzeugaufruf in der Antwort</translation>
    </message>
    <message>
        <source>the assertion&apos;s value lists no tool definitions</source>
        <translation>der Wert der Zusicherung enthält keine Werkzeugdefinitionen</translation>
    </message>
    <message>
        <source>a tool call has no name%1</source>
        <translation>ein Werkzeugaufruf hat keinen Namen%1</translation>
    </message>
    <message>
        <source>the arguments of %1 are not a JSON object%2</source>
        <translation>die Argumente von %1 sind kein JSON-Objekt%2</translation>
    </message>
    <message>
        <source>%1 is not one of the tools offered (%2)</source>
        <translation>%1 ist keines der angebotenen Werkzeuge (%2)</translation>
    </message>
    <message>
        <source>the arguments of %1 do not match its parameters: %2</source>
        <translation>die Argumente von %1 passen nicht zu seinen Parametern: %2</translation>
    </message>
    <message>
        <source>the assertion names no tool call to expect</source>
        <translation>die Zusicherung nennt keinen erwarteten Werkzeugaufruf</translation>
    </message>
    <message>
        <source>expected a tool name or {&quot;name&quot;, &quot;arguments&quot;} in the assertion&apos;s value</source>
        <translation>im Wert der Zusicherung wird ein Werkzeugname oder {&quot;name&quot;, &quot;arguments&quot;} erwartet</translation>
    </message>
    <message>
        <source>%1 was called with other arguments than %2</source>
        <translation>%1 wurde mit anderen Argumenten als %2 aufgerufen</translation>
    </message>
    <message>
        <source>no call of %1</source>
        <translation>kein Aufruf von %1</translation>
    </message>
    <message>
        <source>%1 of %2 expected tool call(s) made</source>
        <translation>%1 von %2 erwarteten Werkzeugaufrufen erfolgt</translation>
    </message>
    <message>
        <source>%1 of %2 expected tool call(s) made; %3</source>
        <translation>%1 von %2 erwarteten Werkzeugaufrufen erfolgt; %3</translation>
    </message>
    <message>
        <source>expected JSON equal to %1</source>
        <translation>sollte JSON gleich %1 sein</translation>
    </message>
    <message>
        <source>expected exactly &quot;%1&quot;</source>
        <translation>sollte genau &quot;%1&quot; sein</translation>
    </message>
    <message>
        <source>expected to contain &quot;%1&quot;</source>
        <translation>sollte &quot;%1&quot; enthalten</translation>
    </message>
    <message>
        <source>expected to contain &quot;%1&quot; (any case)</source>
        <translation>sollte &quot;%1&quot; enthalten (Groß-/Kleinschreibung egal)</translation>
    </message>
    <message>
        <source>expected not to contain &quot;%1&quot;</source>
        <translation>sollte &quot;%1&quot; nicht enthalten</translation>
    </message>
    <message>
        <source>expected to start with &quot;%1&quot;</source>
        <translation>sollte mit &quot;%1&quot; beginnen</translation>
    </message>
    <message>
        <source>expected to end with &quot;%1&quot;</source>
        <translation>sollte mit &quot;%1&quot; enden</translation>
    </message>
    <message>
        <source>%1 of %2 expected phrases found</source>
        <translation>%1 von %2 erwarteten Wendungen gefunden</translation>
    </message>
    <message>
        <source>invalid regular expression: %1</source>
        <translation>ungültiger regulärer Ausdruck: %1</translation>
    </message>
    <message>
        <source>expected to match /%1/</source>
        <translation>sollte auf /%1/ passen</translation>
    </message>
    <message>
        <source>expected the whole answer to be JSON</source>
        <translation>die ganze Antwort sollte JSON sein</translation>
    </message>
    <message>
        <source>the answer is JSON</source>
        <translation>die Antwort ist JSON</translation>
    </message>
    <message>
        <source>the answer</source>
        <translation>die Antwort</translation>
    </message>
    <message>
        <source>expected a JSON value in the answer</source>
        <translation>ein JSON-Wert in der Antwort erwartet</translation>
    </message>
    <message>
        <source>the answer contains JSON</source>
        <translation>die Antwort enthält JSON</translation>
    </message>
    <message>
        <source>the JSON in the answer</source>
        <translation>das JSON in der Antwort</translation>
    </message>
    <message>
        <source>edit distance at least %1 (at most %2)</source>
        <translation>Editierdistanz mindestens %1 (höchstens %2)</translation>
    </message>
    <message>
        <source>edit distance %1 (at most %2)</source>
        <translation>Editierdistanz %1 (höchstens %2)</translation>
    </message>
    <message>
        <source>%1 words (%2 to %3)</source>
        <translation>%1 Wörter (%2 bis %3)</translation>
    </message>
    <message>
        <source>the assertion gives no word count (a number or {&quot;min&quot;, &quot;max&quot;})</source>
        <translation>die Zusicherung gibt keine Wortanzahl an (eine Zahl oder {&quot;min&quot;, &quot;max&quot;})</translation>
    </message>
    <message>
        <source>%1 words (expected %2)</source>
        <translation>%1 Wörter (erwartet: %2)</translation>
    </message>
    <message>
        <source>the %1 assertion needs a threshold</source>
        <translation>die Zusicherung %1 braucht einen Schwellenwert</translation>
    </message>
    <message>
        <source>latency was not measured</source>
        <translation>die Latenz wurde nicht gemessen</translation>
    </message>
    <message>
        <source>cost is unknown</source>
        <translation>die Kosten sind unbekannt</translation>
    </message>
    <message>
        <source>%1 ms (at most %2 ms)</source>
        <translation>%1 ms (höchstens %2 ms)</translation>
    </message>
    <message>
        <source>$%1 (at most $%2)</source>
        <translation>$%1 (höchstens $%2)</translation>
    </message>
    <message>
        <source>the assertion gives no number to compare with</source>
        <translation>die Zusicherung gibt keine Vergleichszahl an</translation>
    </message>
    <message>
        <source>no number in the answer (expected %1)</source>
        <translation>keine Zahl in der Antwort (erwartet: %1)</translation>
    </message>
    <message>
        <source>found %1, expected %2 ± %3</source>
        <translation>%1 gefunden, erwartet: %2 ± %3</translation>
    </message>
    <message>
        <source>unknown grader &quot;%1&quot;: this check cannot be graded</source>
        <translation>unbekannter Auswerter &quot;%1&quot;: Diese Prüfung kann nicht bewertet werden</translation>
    </message>
    <message>
        <source>waiting for a judge</source>
        <translation>wartet auf einen Bewerter</translation>
    </message>
    <message>
        <source>not: %1</source>
        <translation>nicht: %1</translation>
    </message>
    <message>
        <source>waiting for the code tests</source>
        <translation>warte auf die Code-Tests</translation>
    </message>
    <message>
        <source>no code block in the answer</source>
        <translation>kein Codeblock in der Antwort</translation>
    </message>
</context>
<context>
    <name>HistoryCommands</name>
    <message>
        <source>Send the cells an interrupted or cancelled run is missing, into that run.</source>
        <translation>Die Zellen, die einem unterbrochenen oder abgebrochenen Lauf fehlen, in diesen Lauf nachsenden.</translation>
    </message>
    <message>
        <source>Workspace with the run&apos;s providers (keys are never stored).</source>
        <translation>Arbeitsbereich mit den Anbietern des Laufs (Schlüssel werden nie gespeichert).</translation>
    </message>
    <message>
        <source>file</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>The run used the demo workspace.</source>
        <translation>Der Lauf verwendete den Demo-Arbeitsbereich.</translation>
    </message>
    <message>
        <source>As for run. May be repeated.</source>
        <translation>Wie bei run. Kann mehrfach angegeben werden.</translation>
    </message>
    <message>
        <source>gate</source>
        <translation>schranke</translation>
    </message>
    <message>
        <source>Give the id of the run to resume (slopscope-cli resume RUN_ID).</source>
        <translation>Geben Sie die ID des fortzusetzenden Laufs an (slopscope-cli resume RUN_ID).</translation>
    </message>
    <message>
        <source>resume continues a run of the history: it needs a database, not --no-db.</source>
        <translation>resume setzt einen Lauf aus dem Verlauf fort: Dafür ist eine Datenbank nötig, nicht --no-db.</translation>
    </message>
    <message>
        <source>Run %1 completed; there is nothing to resume.</source>
        <translation>Lauf %1 ist abgeschlossen; es gibt nichts fortzusetzen.</translation>
    </message>
    <message>
        <source>Run %1 used real providers: give the workspace that defines them (--workspace FILE).</source>
        <translation>Lauf %1 verwendete echte Anbieter: Geben Sie den Arbeitsbereich an, der sie definiert (--workspace FILE).</translation>
    </message>
    <message>
        <source>Write a recorded run&apos;s reports again, from the database alone.</source>
        <translation>Die Berichte eines aufgezeichneten Laufs erneut schreiben, allein aus der Datenbank.</translation>
    </message>
    <message>
        <source>History database (default: the user&apos;s).</source>
        <translation>Verlaufsdatenbank (Standard: die des Benutzers).</translation>
    </message>
    <message>
        <source>Give the id of the run to report (slopscope-cli report RUN_ID).</source>
        <translation>Geben Sie die ID des Laufs an, über den berichtet werden soll (slopscope-cli report RUN_ID).</translation>
    </message>
    <message>
        <source>Nothing to write: give --report, --chart, --summary, --csv or --jsonl.</source>
        <translation>Nichts zu schreiben: Geben Sie --report, --chart, --summary, --csv oder --jsonl an.</translation>
    </message>
    <message>
        <source>Add every run of the given databases to one database.</source>
        <translation>Alle Läufe der angegebenen Datenbanken in eine Datenbank übernehmen.</translation>
    </message>
    <message>
        <source>The database to merge into (created if missing).</source>
        <translation>Die Zieldatenbank der Zusammenführung (wird bei Bedarf erstellt).</translation>
    </message>
    <message>
        <source>Usage: slopscope-cli merge SOURCE.sqlite... --db TARGET.sqlite</source>
        <translation>Aufruf: slopscope-cli merge SOURCE.sqlite... --db TARGET.sqlite</translation>
    </message>
    <message>
        <source>Cannot create a temporary folder: %1</source>
        <translation>Ein temporärer Ordner kann nicht erstellt werden: %1</translation>
    </message>
    <message>
        <source>%1: run %2 skipped: %3</source>
        <translation>%1: Lauf %2 übersprungen: %3</translation>
    </message>
    <message>
        <source>Merged %1 run(s) into %2; %3 skipped.</source>
        <translation>%1 Lauf/Läufe in %2 zusammengeführt; %3 übersprungen.</translation>
    </message>
    <message>
        <source>Convert a promptfoo configuration, a CSV or a JSONL chat log into a suite.</source>
        <translation>Eine promptfoo-Konfiguration, eine CSV-Datei oder ein JSONL-Chatprotokoll in eine Testsuite umwandeln.</translation>
    </message>
    <message>
        <source>The suite file to write.</source>
        <translation>Die zu schreibende Testsuite-Datei.</translation>
    </message>
    <message>
        <source>suite.json</source>
        <translation>testsuite.json</translation>
    </message>
    <message>
        <source>jsonl: keep N conversations.</source>
        <translation>jsonl: N Konversationen behalten.</translation>
    </message>
    <message>
        <source>n</source>
        <translation>n</translation>
    </message>
    <message>
        <source>jsonl: seed of the sample and shuffle.</source>
        <translation>jsonl: Startwert für Stichprobe und Mischen.</translation>
    </message>
    <message>
        <source>s</source>
        <translation>s</translation>
    </message>
    <message>
        <source>jsonl: order the cases by the seed.</source>
        <translation>jsonl: die Fälle nach dem Startwert ordnen.</translation>
    </message>
    <message>
        <source>jsonl: keep e-mail addresses, phone numbers and key-like strings.</source>
        <translation>jsonl: E-Mail-Adressen, Telefonnummern und schlüsselähnliche Zeichenketten behalten.</translation>
    </message>
    <message>
        <source>Usage: slopscope-cli import promptfoo|csv|jsonl FILE --out SUITE.json</source>
        <translation>Aufruf: slopscope-cli import promptfoo|csv|jsonl FILE --out SUITE.json</translation>
    </message>
    <message>
        <source>provider %1 → %2%3</source>
        <translation>Anbieter %1 → %2%3</translation>
    </message>
    <message>
        <source>not mapped</source>
        <translation>nicht übernommen</translation>
    </message>
    <message>
        <source>--sample takes a whole number of at least 1.</source>
        <translation>--sample erwartet eine ganze Zahl von mindestens 1.</translation>
    </message>
    <message>
        <source>--seed takes a whole number.</source>
        <translation>--seed erwartet eine ganze Zahl.</translation>
    </message>
    <message>
        <source>%1 conversation(s) read, %2 kept</source>
        <translation>%1 Konversation(en) gelesen, %2 behalten</translation>
    </message>
    <message>
        <source>Unknown import format &quot;%1&quot;: promptfoo, csv or jsonl.</source>
        <translation>Unbekanntes Importformat &quot;%1&quot;: promptfoo, csv oder jsonl.</translation>
    </message>
    <message>
        <source>The imported suite does not load back: %1</source>
        <translation>Die importierte Testsuite lässt sich nicht wieder laden: %1</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>%1 case(s) written to %2</source>
        <translation>%1 Fall/Fälle in %2 geschrieben</translation>
    </message>
    <message>
        <source>List the runs of the history, newest first.</source>
        <translation>Die Läufe des Verlaufs auflisten, die neuesten zuerst.</translation>
    </message>
    <message>
        <source>The people&apos;s ratings of this run could not be read, so the report has no judge–human agreement: %1</source>
        <translation>Die Bewertungen der Menschen für diesen Lauf konnten nicht gelesen werden, daher enthält der Bericht keine Übereinstimmung zwischen Richter und Mensch: %1</translation>
    </message>
</context>
<context>
    <name>HistoryStore</name>
    <message>
        <source>%1 is not an SQLite database (its header is wrong).</source>
        <translation>%1 ist keine SQLite-Datenbank (ihr Dateikopf ist falsch).</translation>
    </message>
    <message>
        <source>Cannot move %1 aside to %2.</source>
        <translation>%1 kann nicht nach %2 beiseitegelegt werden.</translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1 (%2): %3</translation>
    </message>
    <message>
        <source>Cannot create the folder %1 for the history database.</source>
        <translation>Der Ordner %1 für die Verlaufsdatenbank kann nicht erstellt werden.</translation>
    </message>
    <message>
        <source>The folder %1 is read-only, so the history database cannot be written there. Choose another data folder or make this one writable.</source>
        <translation>Der Ordner %1 ist schreibgeschützt, daher kann die Verlaufsdatenbank dort nicht geschrieben werden. Wählen Sie einen anderen Datenordner oder machen Sie diesen beschreibbar.</translation>
    </message>
    <message>
        <source>The history database %1 is read-only.</source>
        <translation>Die Verlaufsdatenbank %1 ist schreibgeschützt.</translation>
    </message>
    <message>
        <source>Cannot open the history database %1 for writing: %2</source>
        <translation>Die Verlaufsdatenbank %1 kann nicht zum Schreiben geöffnet werden: %2</translation>
    </message>
    <message>
        <source>The history database %1 is damaged: %2</source>
        <translation>Die Verlaufsdatenbank %1 ist beschädigt: %2</translation>
    </message>
    <message>
        <source>The history database %1 is locked by another program and did not become free within %2 s.</source>
        <translation>Die Verlaufsdatenbank %1 ist von einem anderen Programm gesperrt und wurde nicht innerhalb von %2 s frei.</translation>
    </message>
    <message>
        <source>Cannot open the history database %1: %2</source>
        <translation>Die Verlaufsdatenbank %1 kann nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <source>Cannot prepare the history database</source>
        <translation>Die Verlaufsdatenbank kann nicht vorbereitet werden</translation>
    </message>
    <message>
        <source>There is no history database at %1.</source>
        <translation>Unter %1 gibt es keine Verlaufsdatenbank.</translation>
    </message>
    <message>
        <source>Cannot read the history</source>
        <translation>Der Verlauf kann nicht gelesen werden</translation>
    </message>
    <message>
        <source>There is no run %1 in the history.</source>
        <translation>Im Verlauf gibt es keinen Lauf %1.</translation>
    </message>
    <message>
        <source>Cannot delete the run</source>
        <translation>Der Lauf kann nicht gelöscht werden</translation>
    </message>
    <message>
        <source>The backup %1 is not a sound database.</source>
        <translation>Die Sicherung %1 ist keine intakte Datenbank.</translation>
    </message>
    <message>
        <source>Cannot copy the backup %1 to %2.</source>
        <translation>Die Sicherung %1 kann nicht nach %2 kopiert werden.</translation>
    </message>
    <message>
        <source>Cannot check the history</source>
        <translation>Der Verlauf kann nicht geprüft werden</translation>
    </message>
    <message>
        <source>search index: %1</source>
        <translation>Suchindex: %1</translation>
    </message>
    <message>
        <source>Cannot list the runs</source>
        <translation>Die Läufe können nicht aufgelistet werden</translation>
    </message>
    <message>
        <source>Cannot load the run</source>
        <translation>Der Lauf kann nicht geladen werden</translation>
    </message>
    <message>
        <source>Cannot search the history</source>
        <translation>Der Verlauf kann nicht durchsucht werden</translation>
    </message>
    <message>
        <source>Cannot read the drift of %1</source>
        <translation>Die Drift von %1 kann nicht gelesen werden</translation>
    </message>
    <message>
        <source>Cannot read the run</source>
        <translation>Der Lauf kann nicht gelesen werden</translation>
    </message>
    <message>
        <source>Cannot read the ratings</source>
        <translation>Die Einstufungen können nicht gelesen werden</translation>
    </message>
    <message>
        <source>%1 already exists; choose another name.</source>
        <translation>%1 existiert bereits; wählen Sie einen anderen Namen.</translation>
    </message>
    <message>
        <source>Cannot create %1: %2</source>
        <translation>%1 kann nicht erstellt werden: %2</translation>
    </message>
    <message>
        <source>Cannot export the run to %1: %2</source>
        <translation>Der Lauf kann nicht nach %1 exportiert werden: %2</translation>
    </message>
    <message>
        <source>The history is open read-only.</source>
        <translation>Der Verlauf ist schreibgeschützt geöffnet.</translation>
    </message>
    <message>
        <source>%1 is not a Slopscope history file: %2</source>
        <translation>%1 ist keine Slopscope-Verlaufsdatei: %2</translation>
    </message>
    <message>
        <source>%1 was exported by a newer version of Slopscope; update Slopscope to import it.</source>
        <translation>%1 wurde von einer neueren Version von Slopscope exportiert; aktualisieren Sie Slopscope, um die Datei zu importieren.</translation>
    </message>
    <message>
        <source>%1 is not a Slopscope history file.</source>
        <translation>%1 ist keine Slopscope-Verlaufsdatei.</translation>
    </message>
    <message>
        <source>Cannot read %1.</source>
        <translation>%1 kann nicht gelesen werden.</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>The run %1 is already in the history.</source>
        <translation>Der Lauf %1 ist bereits im Verlauf.</translation>
    </message>
    <message>
        <source>Cannot import %1: %2</source>
        <translation>%1 kann nicht importiert werden: %2</translation>
    </message>
    <message>
        <source>The history database %1 was damaged (%2). It was moved to %3 and a new, empty history was started.</source>
        <translation>Die Verlaufsdatenbank %1 war beschädigt (%2). Sie wurde nach %3 verschoben, und ein neuer, leerer Verlauf wurde begonnen.</translation>
    </message>
    <message>
        <source>There is no backup to restore.</source>
        <translation>Es gibt keine Sicherung zum Wiederherstellen.</translation>
    </message>
    <message>
        <source>The latest backup, from %1, is %2.</source>
        <translation>Die neueste Sicherung vom %1 ist %2.</translation>
    </message>
    <message>
        <source>A write-ahead log beside the history database %1 was written by another history; it was moved to %2 and not applied. The history itself is unchanged.</source>
        <translation>Ein Write-Ahead-Log neben der Verlaufsdatenbank %1 wurde von einem anderen Verlauf geschrieben; es wurde nach %2 verschoben und nicht angewendet. Der Verlauf selbst ist unverändert.</translation>
    </message>
    <message>
        <source>Cannot read the arena votes</source>
        <translation>Die Arena-Stimmen können nicht gelesen werden</translation>
    </message>
    <message>
        <source>Cannot read the cell</source>
        <translation>Die Zelle kann nicht gelesen werden</translation>
    </message>
    <message>
        <source>The run has no cell %1.</source>
        <translation>Der Lauf hat keine Zelle %1.</translation>
    </message>
    <message>
        <source>The recorded detail of cell %1 is damaged: %2.</source>
        <translation>Die aufgezeichneten Details der Zelle %1 sind beschädigt: %2.</translation>
    </message>
</context>
<context>
    <name>HtmlReport</name>
    <message>
        <source>Leaderboard</source>
        <translation>Rangliste</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>Qualität</translation>
    </message>
    <message>
        <source>Brittleness</source>
        <translation>Fragilität</translation>
    </message>
    <message>
        <source>$ per 1k cases</source>
        <translation>$ pro 1.000 Fälle</translation>
    </message>
    <message>
        <source>Total cost</source>
        <translation>Gesamtkosten</translation>
    </message>
    <message>
        <source>TTFT p50</source>
        <translation>TTFT p50</translation>
    </message>
    <message>
        <source>TTFT p95</source>
        <translation>TTFT p95</translation>
    </message>
    <message>
        <source>Decode tok/s p50</source>
        <translation>Dekodierung tok/s p50</translation>
    </message>
    <message>
        <source>Latency p50</source>
        <translation>Latenz p50</translation>
    </message>
    <message>
        <source>Latency p95</source>
        <translation>Latenz p95</translation>
    </message>
    <message>
        <source>Error rate</source>
        <translation>Fehlerrate</translation>
    </message>
    <message>
        <source>Answers ok</source>
        <translation>Erfolgreiche Antworten</translation>
    </message>
    <message>
        <source>not measured</source>
        <translation>nicht gemessen</translation>
    </message>
    <message>
        <source>%1 of %2 passed</source>
        <translation>%1 von %2 bestanden</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <source>Rewording %1 (%2)</source>
        <translation>Umformulierung %1 (%2)</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Referenz</translation>
    </message>
    <message>
        <source>the reference</source>
        <translation>die Referenz</translation>
    </message>
    <message>
        <source>score %1</source>
        <translation>Punktzahl %1</translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation>Denkprozess</translation>
    </message>
    <message>
        <source>Word diff against %1:</source>
        <translation>Wortweiser Vergleich mit %1:</translation>
    </message>
    <message>
        <source>(too long to diff)</source>
        <translation>(zu lang für einen Vergleich)</translation>
    </message>
    <message>
        <source>Methodology</source>
        <translation>Methodik</translation>
    </message>
    <message>
        <source>Definitions</source>
        <translation>Definitionen</translation>
    </message>
    <message>
        <source>Run conditions</source>
        <translation>Laufbedingungen</translation>
    </message>
    <message>
        <source>Prices</source>
        <translation>Preise</translation>
    </message>
    <message>
        <source>No catalogue price was overridden by the workspace.</source>
        <translation>Der Arbeitsbereich hat keinen Katalogpreis überschrieben.</translation>
    </message>
    <message>
        <source>Prices the workspace set over the catalogue&apos;s:</source>
        <translation>Preise, die der Arbeitsbereich anstelle der Katalogpreise festgelegt hat:</translation>
    </message>
    <message>
        <source>Run %1 · started %2 · ended %3 · Slopscope %4</source>
        <translation>Lauf %1 · gestartet %2 · beendet %3 · Slopscope %4</translation>
    </message>
    <message>
        <source>Price and quality</source>
        <translation>Preis und Qualität</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>Fälle</translation>
    </message>
    <message>
        <source>Each target&apos;s answer to the canonical wording (first repeat), with a word diff; every sample is in the CSV and JSONL exports.</source>
        <translation>Die Antwort jedes Ziels auf die kanonische Formulierung (erste Wiederholung), mit wortweisem Vergleich; alle Stichproben stehen in den CSV- und JSONL-Exporten.</translation>
    </message>
    <message numerus="yes">
        <source>Chain: %n turn(s)</source>
        <translation>
            <numerusform>Kette: %n Runde</numerusform>
            <numerusform>Kette: %n Runden</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HumanReview</name>
    <message>
        <source>A rating needs the answer it rates.</source>
        <translation>Eine Einstufung braucht die Antwort, die sie einstuft.</translation>
    </message>
    <message>
        <source>A rating has 1 to 5 stars, not %1.</source>
        <translation>Eine Einstufung hat 1 bis 5 Sterne, nicht %1.</translation>
    </message>
</context>
<context>
    <name>Json</name>
    <message>
        <source>%1:%2:%3: invalid JSON: %4</source>
        <translation>%1:%2:%3: ungültiges JSON: %4</translation>
    </message>
    <message>
        <source>%1: missing (a string is required)</source>
        <translation>%1: fehlt (eine Zeichenkette ist erforderlich)</translation>
    </message>
    <message>
        <source>%1: expected a string</source>
        <translation>%1: Zeichenkette erwartet</translation>
    </message>
    <message>
        <source>%1: missing (a number is required)</source>
        <translation>%1: fehlt (eine Zahl ist erforderlich)</translation>
    </message>
    <message>
        <source>%1: expected a number</source>
        <translation>%1: Zahl erwartet</translation>
    </message>
    <message>
        <source>%1: missing (an integer is required)</source>
        <translation>%1: fehlt (eine Ganzzahl ist erforderlich)</translation>
    </message>
    <message>
        <source>%1: expected an integer</source>
        <translation>%1: Ganzzahl erwartet</translation>
    </message>
    <message>
        <source>%1: %2 is out of range (%3 to %4)</source>
        <translation>%1: %2 liegt außerhalb des Bereichs (%3 bis %4)</translation>
    </message>
    <message>
        <source>%1: missing (true or false is required)</source>
        <translation>%1: fehlt (true oder false ist erforderlich)</translation>
    </message>
    <message>
        <source>%1: expected true or false</source>
        <translation>%1: true oder false erwartet</translation>
    </message>
    <message>
        <source>%1: missing</source>
        <translation>%1: fehlt</translation>
    </message>
    <message>
        <source>an array</source>
        <translation>ein Array</translation>
    </message>
    <message>
        <source>an object</source>
        <translation>ein Objekt</translation>
    </message>
    <message>
        <source>%1: expected %2</source>
        <translation>%1: %2 erwartet</translation>
    </message>
    <message>
        <source>%1: unknown key (expected one of: %2)</source>
        <translation>%1: unbekannter Schlüssel (erwartet wird einer von: %2)</translation>
    </message>
    <message>
        <source>%1: invalid JSON: %2</source>
        <translation>%1: ungültiges JSON: %2</translation>
    </message>
</context>
<context>
    <name>JsonSchema</name>
    <message>
        <source>the schema nests (or refers to itself) too deeply</source>
        <translation>das Schema ist zu tief verschachtelt (oder verweist zu oft auf sich selbst)</translation>
    </message>
    <message>
        <source>no value is allowed here</source>
        <translation>hier ist kein Wert erlaubt</translation>
    </message>
    <message>
        <source>the schema is not an object</source>
        <translation>das Schema ist kein Objekt</translation>
    </message>
    <message>
        <source>unresolvable $ref %1</source>
        <translation>nicht auflösbare $ref %1</translation>
    </message>
    <message>
        <source>expected one of %1</source>
        <translation>einer von %1 erwartet</translation>
    </message>
    <message>
        <source>expected %1</source>
        <translation>%1 erwartet</translation>
    </message>
    <message>
        <source>expected %1, got %2</source>
        <translation>%1 erwartet, %2 erhalten</translation>
    </message>
    <message>
        <source>%1 is less than the minimum %2</source>
        <translation>%1 ist kleiner als das Minimum %2</translation>
    </message>
    <message>
        <source>%1 is more than the maximum %2</source>
        <translation>%1 ist größer als das Maximum %2</translation>
    </message>
    <message>
        <source>%1 is not more than %2</source>
        <translation>%1 ist nicht größer als %2</translation>
    </message>
    <message>
        <source>%1 is not less than %2</source>
        <translation>%1 ist nicht kleiner als %2</translation>
    </message>
    <message>
        <source>%1 is not a multiple of %2</source>
        <translation>%1 ist kein Vielfaches von %2</translation>
    </message>
    <message>
        <source>shorter than %1 characters</source>
        <translation>kürzer als %1 Zeichen</translation>
    </message>
    <message>
        <source>longer than %1 characters</source>
        <translation>länger als %1 Zeichen</translation>
    </message>
    <message>
        <source>the schema&apos;s pattern is not a valid regular expression</source>
        <translation>das Muster des Schemas ist kein gültiger regulärer Ausdruck</translation>
    </message>
    <message>
        <source>does not match the pattern %1</source>
        <translation>passt nicht auf das Muster %1</translation>
    </message>
    <message>
        <source>fewer than %1 items</source>
        <translation>weniger als %1 Elemente</translation>
    </message>
    <message>
        <source>more than %1 items</source>
        <translation>mehr als %1 Elemente</translation>
    </message>
    <message>
        <source>the items are not unique</source>
        <translation>die Elemente sind nicht eindeutig</translation>
    </message>
    <message>
        <source>no item matches &quot;contains&quot;</source>
        <translation>kein Element passt auf &quot;contains&quot;</translation>
    </message>
    <message>
        <source>fewer than %1 properties</source>
        <translation>weniger als %1 Eigenschaften</translation>
    </message>
    <message>
        <source>more than %1 properties</source>
        <translation>mehr als %1 Eigenschaften</translation>
    </message>
    <message>
        <source>missing required property &quot;%1&quot;</source>
        <translation>erforderliche Eigenschaft &quot;%1&quot; fehlt</translation>
    </message>
    <message>
        <source>property &quot;%1&quot; is not allowed</source>
        <translation>Eigenschaft &quot;%1&quot; ist nicht erlaubt</translation>
    </message>
    <message>
        <source>matches none of &quot;anyOf&quot; (first: %1)</source>
        <translation>passt auf keines von &quot;anyOf&quot; (erstes: %1)</translation>
    </message>
    <message>
        <source>matches %1 of &quot;oneOf&quot; (exactly one is required)</source>
        <translation>passt auf %1 von &quot;oneOf&quot; (genau eines ist erforderlich)</translation>
    </message>
    <message>
        <source>matches the schema under &quot;not&quot;</source>
        <translation>passt auf das Schema unter &quot;not&quot;</translation>
    </message>
</context>
<context>
    <name>JsonlImporter</name>
    <message>
        <source>%1: expected a string or a list of content parts</source>
        <translation>%1: eine Zeichenkette oder eine Liste von Inhaltsteilen erwartet</translation>
    </message>
    <message>
        <source>%1: expected an object with a &quot;type&quot;</source>
        <translation>%1: ein Objekt mit einem &quot;type&quot; erwartet</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; content cannot be replayed (text only)</source>
        <translation>%1: Inhalt vom Typ &quot;%2&quot; kann nicht wiedergegeben werden (nur Text)</translation>
    </message>
    <message>
        <source>%1.text: expected a string</source>
        <translation>%1.text: Zeichenkette erwartet</translation>
    </message>
    <message>
        <source>expected an object with &quot;messages&quot;</source>
        <translation>ein Objekt mit &quot;messages&quot; erwartet</translation>
    </message>
    <message>
        <source>messages: a non-empty list of messages is required</source>
        <translation>messages: eine nicht leere Liste von Nachrichten ist erforderlich</translation>
    </message>
    <message>
        <source>id: expected a non-empty string</source>
        <translation>id: nicht leere Zeichenkette erwartet</translation>
    </message>
    <message>
        <source>metadata: expected an object</source>
        <translation>metadata: Objekt erwartet</translation>
    </message>
    <message>
        <source>%1: expected an object with &quot;role&quot; and &quot;content&quot;</source>
        <translation>%1: ein Objekt mit &quot;role&quot; und &quot;content&quot; erwartet</translation>
    </message>
    <message>
        <source>%1.role: expected a string</source>
        <translation>%1.role: Zeichenkette erwartet</translation>
    </message>
    <message>
        <source>%1.role: &quot;%2&quot; messages cannot be replayed yet</source>
        <translation>%1.role: Nachrichten vom Typ &quot;%2&quot; können noch nicht wiedergegeben werden</translation>
    </message>
    <message>
        <source>%1.role: &quot;%2&quot; is not a role (system, developer, user or assistant)</source>
        <translation>%1.role: &quot;%2&quot; ist keine Rolle (system, developer, user oder assistant)</translation>
    </message>
    <message>
        <source>%1.tool_calls: tool calls inside a conversation cannot be replayed yet</source>
        <translation>%1.tool_calls: Werkzeugaufrufe innerhalb einer Konversation können noch nicht wiedergegeben werden</translation>
    </message>
    <message>
        <source>%1.content: missing</source>
        <translation>%1.content: fehlt</translation>
    </message>
    <message>
        <source>messages: the conversation must end with a user message (a final assistant message is the logged answer)</source>
        <translation>messages: die Konversation muss mit einer Benutzernachricht enden (eine abschließende Assistentennachricht ist die protokollierte Antwort)</translation>
    </message>
    <message>
        <source>%1:%2:%3: not valid JSON: %4</source>
        <translation>%1:%2:%3: kein gültiges JSON: %4</translation>
    </message>
    <message>
        <source>%1:%2: id: duplicate case id &quot;%3&quot;</source>
        <translation>%1:%2: id: doppelte Fall-ID &quot;%3&quot;</translation>
    </message>
    <message>
        <source>%1: no conversation to replay</source>
        <translation>%1: keine Konversation zum Wiedergeben</translation>
    </message>
    <message>
        <source>%1: the sample must hold at least one line</source>
        <translation>%1: die Stichprobe muss mindestens eine Zeile enthalten</translation>
    </message>
    <message>
        <source>Shadow traffic from %1: %2 of %3 conversation(s)</source>
        <translation>Schattenverkehr aus %1: %2 von %3 Konversation(en)</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>%1 kann nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <source>%1: the file is too large (the limit is %2 MiB)</source>
        <translation>%1: die Datei ist zu groß (die Grenze liegt bei %2 MiB)</translation>
    </message>
    <message>
        <source>%1:%2: not valid JSON: %3</source>
        <translation>%1:%2: kein gültiges JSON: %3</translation>
    </message>
</context>
<context>
    <name>JudgeGrade</name>
    <message>
        <source>(no reason given)</source>
        <translation>(keine Begründung angegeben)</translation>
    </message>
    <message>
        <source>not: judge: %1</source>
        <translation>nicht: Bewerter: %1</translation>
    </message>
    <message>
        <source>judge: %1</source>
        <translation>Bewerter: %1</translation>
    </message>
    <message>
        <source>judge error: %1</source>
        <translation>Bewerterfehler: %1</translation>
    </message>
    <message>
        <source>chosen as the best of %1 answers, in both orders: %2</source>
        <translation>in beiden Reihenfolgen als beste von %1 Antworten gewählt: %2</translation>
    </message>
    <message>
        <source>not chosen; the judge picked another of %1 answers in both orders: %2</source>
        <translation>nicht gewählt; der Bewerter wählte in beiden Reihenfolgen eine andere der %1 Antworten: %2</translation>
    </message>
    <message>
        <source>tie/inconsistent: the judge picked differently when the positions were swapped (%1)</source>
        <translation>Gleichstand/inkonsistent: der Bewerter wählte anders, als die Positionen vertauscht wurden (%1)</translation>
    </message>
    <message>
        <source>not graded (%1)</source>
        <translation>nicht bewertet (%1)</translation>
    </message>
</context>
<context>
    <name>JudgePrompt</name>
    <message>
        <source>select-best needs at least two answers</source>
        <translation>select-best braucht mindestens zwei Antworten</translation>
    </message>
    <message>
        <source>select-best compares at most %1 answers, not %2</source>
        <translation>select-best vergleicht höchstens %1 Antworten, nicht %2</translation>
    </message>
</context>
<context>
    <name>JudgeTemplates</name>
    <message>
        <source>expected an object of judge templates</source>
        <translation>ein Objekt mit Bewertervorlagen erwartet</translation>
    </message>
    <message>
        <source>%1: unknown key (expected llm-rubric, factuality or select-best)</source>
        <translation>%1: unbekannter Schlüssel (erwartet: llm-rubric, factuality oder select-best)</translation>
    </message>
    <message>
        <source>%1: expected an object with &quot;user&quot; and optionally &quot;system&quot;</source>
        <translation>%1: ein Objekt mit &quot;user&quot; und optional &quot;system&quot; erwartet</translation>
    </message>
    <message>
        <source>%1.%2: unknown key (expected system or user)</source>
        <translation>%1.%2: unbekannter Schlüssel (erwartet: system oder user)</translation>
    </message>
    <message>
        <source>%1.user: the template needs the placeholder {{%2}}</source>
        <translation>%1.user: die Vorlage braucht den Platzhalter {{%2}}</translation>
    </message>
    <message>
        <source>%1: cannot read: %2</source>
        <translation>%1: kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>%1: too large for a judge template file (at most 1 MiB)</source>
        <translation>%1: zu groß für eine Bewertervorlagendatei (höchstens 1 MiB)</translation>
    </message>
</context>
<context>
    <name>JudgeVerdict</name>
    <message>
        <source>the judge&apos;s answer is empty</source>
        <translation>die Antwort des Bewerters ist leer</translation>
    </message>
    <message>
        <source>the judge&apos;s answer is too long (%1 characters)</source>
        <translation>die Antwort des Bewerters ist zu lang (%1 Zeichen)</translation>
    </message>
    <message>
        <source>no JSON verdict in the judge&apos;s answer (&quot;%1&quot;)</source>
        <translation>kein JSON-Urteil in der Antwort des Bewerters (&quot;%1&quot;)</translation>
    </message>
    <message>
        <source>the verdict has no score</source>
        <translation>das Urteil hat keine Punktzahl</translation>
    </message>
    <message>
        <source>the verdict&apos;s score is not a number (%1)</source>
        <translation>die Punktzahl des Urteils ist keine Zahl (%1)</translation>
    </message>
    <message>
        <source>the verdict&apos;s score %1 is outside 0 to 1</source>
        <translation>die Punktzahl %1 des Urteils liegt nicht zwischen 0 und 1</translation>
    </message>
    <message>
        <source>the verdict&apos;s pass is not true or false (%1)</source>
        <translation>der Wert für pass im Urteil ist weder true noch false (%1)</translation>
    </message>
    <message>
        <source>the verdict&apos;s reason is not a string</source>
        <translation>der Wert für reason im Urteil ist keine Zeichenkette</translation>
    </message>
</context>
<context>
    <name>KeyCommands</name>
    <message>
        <source>Key (input hidden): </source>
        <translation>Schlüssel (Eingabe verborgen): </translation>
    </message>
    <message>
        <source>Usage: slopscope-cli keys set NAME  (the key is read from stdin; NAME is the provider&apos;s api_key_env, e.g. OPENAI_API_KEY)</source>
        <translation>Aufruf: slopscope-cli keys set NAME  (der Schlüssel wird von stdin gelesen; NAME ist die api_key_env des Anbieters, z. B. OPENAI_API_KEY)</translation>
    </message>
    <message>
        <source>No key on stdin; nothing was saved.</source>
        <translation>Kein Schlüssel auf stdin; es wurde nichts gespeichert.</translation>
    </message>
    <message>
        <source>Saved %1 in the system keychain.</source>
        <translation>%1 im Systemschlüsselbund gespeichert.</translation>
    </message>
    <message>
        <source>Could not save %1 in the system keychain: %2</source>
        <translation>%1 konnte nicht im Systemschlüsselbund gespeichert werden: %2</translation>
    </message>
    <message>
        <source>The key was not stored anywhere. Set the environment variable %1 instead.</source>
        <translation>Der Schlüssel wurde nirgends gespeichert. Setzen Sie stattdessen die Umgebungsvariable %1.</translation>
    </message>
    <message>
        <source>Usage: slopscope-cli keys remove NAME</source>
        <translation>Aufruf: slopscope-cli keys remove NAME</translation>
    </message>
    <message>
        <source>Removed %1 from the system keychain.</source>
        <translation>%1 aus dem Systemschlüsselbund entfernt.</translation>
    </message>
    <message>
        <source>The system keychain holds no key named %1.</source>
        <translation>Der Systemschlüsselbund enthält keinen Schlüssel namens %1.</translation>
    </message>
    <message>
        <source>Could not remove %1 from the system keychain: %2</source>
        <translation>%1 konnte nicht aus dem Systemschlüsselbund entfernt werden: %2</translation>
    </message>
    <message>
        <source>--workspace needs a file.</source>
        <translation>--workspace erwartet eine Datei.</translation>
    </message>
    <message>
        <source>Usage: slopscope-cli keys status [--workspace FILE | --demo] [NAME...]</source>
        <translation>Aufruf: slopscope-cli keys status [--workspace FILE | --demo] [NAME...]</translation>
    </message>
    <message>
        <source>No key names: give --workspace FILE, --demo or NAME...</source>
        <translation>Keine Schlüsselnamen: Geben Sie --workspace FILE, --demo oder NAME... an</translation>
    </message>
    <message>
        <source>environment</source>
        <translation>Umgebung</translation>
    </message>
    <message>
        <source>keychain</source>
        <translation>Schlüsselbund</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>fehlt</translation>
    </message>
    <message>
        <source>missing (keychain: %1)</source>
        <translation>fehlt (Schlüsselbund: %1)</translation>
    </message>
    <message>
        <source>(simulated providers need none)</source>
        <translation>(simulierte Anbieter brauchen keinen)</translation>
    </message>
    <message>
        <source>Keychain: no key for %1: %2</source>
        <translation>Schlüsselbund: kein Schlüssel für %1: %2</translation>
    </message>
    <message>
        <source>Usage: slopscope-cli keys allow-host NAME HOST  (HOST as in the provider&apos;s base URL, e.g. api.openai.com)</source>
        <translation>Aufruf: slopscope-cli keys allow-host NAME HOST  (HOST wie in der Basis-URL des Anbieters, z. B. api.openai.com)</translation>
    </message>
    <message>
        <source>%1 may now be sent to: %2</source>
        <translation>%1 darf jetzt gesendet werden an: %2</translation>
    </message>
    <message>
        <source>Usage: slopscope-cli keys set NAME | remove NAME | allow-host NAME HOST | status [--workspace FILE | --demo] [NAME...]</source>
        <translation>Aufruf: slopscope-cli keys set NAME | remove NAME | allow-host NAME HOST | status [--workspace FILE | --demo] [NAME...]</translation>
    </message>
</context>
<context>
    <name>KeyStore</name>
    <message>
        <source>No key named %1 is stored.</source>
        <translation>Es ist kein Schlüssel namens %1 gespeichert.</translation>
    </message>
    <message>
        <source>No keychain service is available (no session bus or no secret service running).</source>
        <translation>Kein Schlüsselbunddienst verfügbar (kein Sitzungsbus oder kein Secret Service aktiv).</translation>
    </message>
    <message>
        <source>The keychain is locked.</source>
        <translation>Der Schlüsselbund ist gesperrt.</translation>
    </message>
    <message>
        <source>Access to the keychain was denied.</source>
        <translation>Der Zugriff auf den Schlüsselbund wurde verweigert.</translation>
    </message>
    <message>
        <source>Keychain not responding.</source>
        <translation>Der Schlüsselbund antwortet nicht.</translation>
    </message>
    <message>
        <source>The keychain failed.</source>
        <translation>Der Schlüsselbund ist fehlgeschlagen.</translation>
    </message>
</context>
<context>
    <name>MarkdownReport</name>
    <message>
        <source>Leaderboard</source>
        <translation>Rangliste</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Quality (95% interval)</source>
        <translation>Qualität (95-%-Intervall)</translation>
    </message>
    <message>
        <source>Brittleness</source>
        <translation>Fragilität</translation>
    </message>
    <message>
        <source>$/1k cases</source>
        <translation>$/1.000 Fälle</translation>
    </message>
    <message>
        <source>TTFT p50</source>
        <translation>TTFT p50</translation>
    </message>
    <message>
        <source>Decode tok/s p50</source>
        <translation>Dekodierung tok/s p50</translation>
    </message>
    <message>
        <source>Error rate</source>
        <translation>Fehlerrate</translation>
    </message>
    <message>
        <source>n</source>
        <translation>n</translation>
    </message>
    <message>
        <source>not measured</source>
        <translation>nicht gemessen</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>Fälle</translation>
    </message>
    <message>
        <source>Each target&apos;s answer to the canonical wording (first repeat); every sample is in the CSV and JSONL exports.</source>
        <translation>Die Antwort jedes Ziels auf die kanonische Formulierung (erste Wiederholung); alle Stichproben stehen in den CSV- und JSONL-Exporten.</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Referenz</translation>
    </message>
    <message>
        <source>score %1</source>
        <translation>Punktzahl %1</translation>
    </message>
    <message>
        <source>Methodology</source>
        <translation>Methodik</translation>
    </message>
    <message>
        <source>Definitions</source>
        <translation>Definitionen</translation>
    </message>
    <message>
        <source>Run conditions</source>
        <translation>Laufbedingungen</translation>
    </message>
    <message>
        <source>Prices</source>
        <translation>Preise</translation>
    </message>
    <message>
        <source>No catalogue price was overridden by the workspace.</source>
        <translation>Der Arbeitsbereich hat keinen Katalogpreis überschrieben.</translation>
    </message>
    <message>
        <source>Prices the workspace set over the catalogue&apos;s:</source>
        <translation>Preise, die der Arbeitsbereich anstelle der Katalogpreise festgelegt hat:</translation>
    </message>
    <message numerus="yes">
        <source>Chain: %n turn(s)</source>
        <translation>
            <numerusform>Kette: %n Runde</numerusform>
            <numerusform>Kette: %n Runden</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PairwiseJudgement</name>
    <message>
        <source>first ask: %1</source>
        <translation>erste Anfrage: %1</translation>
    </message>
    <message>
        <source>swapped ask: %1</source>
        <translation>vertauschte Anfrage: %1</translation>
    </message>
    <message>
        <source>a pick is outside the answers shown</source>
        <translation>eine Auswahl liegt außerhalb der gezeigten Antworten</translation>
    </message>
</context>
<context>
    <name>PdfReport</name>
    <message>
        <source>Run %1 · started %2 · ended %3 · Slopscope %4</source>
        <translation>Lauf %1 · gestartet %2 · beendet %3 · Slopscope %4</translation>
    </message>
    <message>
        <source>Leaderboard</source>
        <translation>Rangliste</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Quality [95% interval]</source>
        <translation>Qualität [95-%-Intervall]</translation>
    </message>
    <message>
        <source>Brittleness</source>
        <translation>Fragilität</translation>
    </message>
    <message>
        <source>$ / 1k cases</source>
        <translation>$ / 1.000 Fälle</translation>
    </message>
    <message>
        <source>TTFT p50</source>
        <translation>TTFT p50</translation>
    </message>
    <message>
        <source>tok/s p50</source>
        <translation>tok/s p50</translation>
    </message>
    <message>
        <source>Latency p95</source>
        <translation>Latenz p95</translation>
    </message>
    <message>
        <source>Error rate</source>
        <translation>Fehlerrate</translation>
    </message>
    <message>
        <source>n</source>
        <translation>n</translation>
    </message>
    <message>
        <source>not measured</source>
        <translation>nicht gemessen</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>Fälle</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Referenz</translation>
    </message>
    <message>
        <source>score %1</source>
        <translation>Punktzahl %1</translation>
    </message>
    <message>
        <source>Methodology</source>
        <translation>Methodik</translation>
    </message>
    <message>
        <source>Definitions</source>
        <translation>Definitionen</translation>
    </message>
    <message>
        <source>Run conditions</source>
        <translation>Laufbedingungen</translation>
    </message>
    <message>
        <source>Prices</source>
        <translation>Preise</translation>
    </message>
    <message>
        <source>No catalogue price was overridden by the workspace.</source>
        <translation>Der Arbeitsbereich hat keinen Katalogpreis überschrieben.</translation>
    </message>
    <message>
        <source>Prices the workspace set over the catalogue&apos;s:</source>
        <translation>Preise, die der Arbeitsbereich anstelle der Katalogpreise festgelegt hat:</translation>
    </message>
    <message>
        <source>Writing a PDF needs the graphical application (a QGuiApplication).</source>
        <translation>Das Schreiben einer PDF-Datei erfordert die grafische Anwendung (eine QGuiApplication).</translation>
    </message>
    <message>
        <source>The PDF writer could not start.</source>
        <translation>Die PDF-Ausgabe konnte nicht gestartet werden.</translation>
    </message>
    <message numerus="yes">
        <source>Chain: %n turn(s)</source>
        <translation>
            <numerusform>Kette: %n Runde</numerusform>
            <numerusform>Kette: %n Runden</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PriceCatalogue</name>
    <message>
        <source>unknown catalogue</source>
        <translation>unbekannter Katalog</translation>
    </message>
    <message>
        <source>%1:%2:%3: invalid JSON: %4</source>
        <translation>%1:%2:%3: ungültiges JSON: %4</translation>
    </message>
    <message>
        <source>%1: expected a JSON object of models</source>
        <translation>%1: ein JSON-Objekt mit Modellen erwartet</translation>
    </message>
    <message>
        <source>%1: expected a JSON object {&quot;source&quot;, &quot;commit&quot;, &quot;date&quot;}</source>
        <translation>%1: ein JSON-Objekt {&quot;source&quot;, &quot;commit&quot;, &quot;date&quot;} erwartet</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; must be a non-empty string</source>
        <translation>%1: &quot;%2&quot; muss eine nicht leere Zeichenkette sein</translation>
    </message>
    <message>
        <source>%1: the bundled price catalogue is missing</source>
        <translation>%1: der mitgelieferte Preiskatalog fehlt</translation>
    </message>
    <message>
        <source>%1: the bundled price table is missing</source>
        <translation>%1: die mitgelieferte Preistabelle fehlt</translation>
    </message>
    <message>
        <source>%1: expected an object of model keys</source>
        <translation>%1: ein Objekt mit Modellschlüsseln erwartet</translation>
    </message>
    <message>
        <source>%1: %2: expected an object of prices</source>
        <translation>%1: %2: ein Objekt mit Preisen erwartet</translation>
    </message>
    <message>
        <source>%1: unknown price field (expected input_per_mtok, output_per_mtok, cached_input_per_mtok, cache_write_per_mtok or reasoning_per_mtok)</source>
        <translation>%1: unbekanntes Preisfeld (erwartet: input_per_mtok, output_per_mtok, cached_input_per_mtok, cache_write_per_mtok oder reasoning_per_mtok)</translation>
    </message>
    <message>
        <source>%1: a price cannot be negative</source>
        <translation>%1: ein Preis kann nicht negativ sein</translation>
    </message>
</context>
<context>
    <name>PromptfooImporter</name>
    <message>
        <source>OpenAI %1 endpoints are not chat; not mapped</source>
        <translation>OpenAI-%1-Endpunkte sind keine Chat-Endpunkte; nicht übernommen</translation>
    </message>
    <message>
        <source>Anthropic&apos;s legacy completion API is not supported; not mapped</source>
        <translation>Die alte Completion-API von Anthropic wird nicht unterstützt; nicht übernommen</translation>
    </message>
    <message>
        <source>Vertex AI speaks Gemini&apos;s format; set your project&apos;s endpoint as the base URL</source>
        <translation>Vertex AI verwendet das Gemini-Format; legen Sie den Endpunkt Ihres Projekts als Basis-URL fest</translation>
    </message>
    <message>
        <source>Ollama embeddings are not chat; not mapped</source>
        <translation>Ollama-Embeddings sind kein Chat; nicht übernommen</translation>
    </message>
    <message>
        <source>runs through Ollama&apos;s chat API instead of /api/generate</source>
        <translation>läuft über die Chat-API von Ollama statt über /api/generate</translation>
    </message>
    <message>
        <source>Azure OpenAI: set your resource&apos;s deployment URL as the base URL</source>
        <translation>Azure OpenAI: legen Sie die Deployment-URL Ihrer Ressource als Basis-URL fest</translation>
    </message>
    <message>
        <source>Slopscope cannot call &quot;%1&quot; providers; not mapped</source>
        <translation>Slopscope kann keine Anbieter vom Typ &quot;%1&quot; aufrufen; nicht übernommen</translation>
    </message>
    <message>
        <source>no model named; not mapped</source>
        <translation>kein Modell angegeben; nicht übernommen</translation>
    </message>
    <message>
        <source>a promptfoo configuration must be a mapping (prompts, providers, tests)</source>
        <translation>eine promptfoo-Konfiguration muss eine Zuordnung sein (prompts, providers, tests)</translation>
    </message>
    <message>
        <source>the key &quot;%1&quot; is not imported</source>
        <translation>der Schlüssel &quot;%1&quot; wird nicht importiert</translation>
    </message>
    <message>
        <source>expected a string</source>
        <translation>Zeichenkette erwartet</translation>
    </message>
    <message>
        <source>scenarios are not imported; only tests are</source>
        <translation>scenarios werden nicht importiert, nur tests</translation>
    </message>
    <message>
        <source>custom nunjucks filters are not imported</source>
        <translation>eigene nunjucks-Filter werden nicht importiert</translation>
    </message>
    <message>
        <source>at least one prompt is required</source>
        <translation>mindestens ein Prompt ist erforderlich</translation>
    </message>
    <message>
        <source>the configuration yields no test</source>
        <translation>die Konfiguration ergibt keinen Test</translation>
    </message>
    <message>
        <source>nested too deeply</source>
        <translation>zu tief verschachtelt</translation>
    </message>
    <message>
        <source>the configuration is too large once its aliases are expanded (more than %1 values)</source>
        <translation>die Konfiguration ist zu groß, sobald ihre Aliase aufgelöst sind (mehr als %1 Werte)</translation>
    </message>
    <message>
        <source>keys must be plain strings</source>
        <translation>Schlüssel müssen einfache Zeichenketten sein</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>%1 is too large</source>
        <translation>%1 ist zu groß</translation>
    </message>
    <message>
        <source>no file %1</source>
        <translation>keine Datei %1</translation>
    </message>
    <message>
        <source>no file matches %1</source>
        <translation>keine Datei passt auf %1</translation>
    </message>
    <message>
        <source>a chat prompt must be a list of {&quot;role&quot;, &quot;content&quot;} messages</source>
        <translation>ein Chat-Prompt muss eine Liste von {&quot;role&quot;, &quot;content&quot;}-Nachrichten sein</translation>
    </message>
    <message>
        <source>the prompt is empty</source>
        <translation>der Prompt ist leer</translation>
    </message>
    <message>
        <source>nunjucks tags ({% … %}) are not supported; only {{var}} placeholders are</source>
        <translation>nunjucks-Tags ({% … %}) werden nicht unterstützt, nur {{var}}-Platzhalter</translation>
    </message>
    <message>
        <source>nunjucks filters ({{ var | filter }}) are not supported</source>
        <translation>nunjucks-Filter ({{ var | filter }}) werden nicht unterstützt</translation>
    </message>
    <message>
        <source>prompt functions (%1) cannot be imported; use text or chat prompts</source>
        <translation>Prompt-Funktionen (%1) können nicht importiert werden; verwenden Sie Text- oder Chat-Prompts</translation>
    </message>
    <message>
        <source>%1 is not valid JSON</source>
        <translation>%1 ist kein gültiges JSON</translation>
    </message>
    <message>
        <source>%1:%2: %3</source>
        <translation>%1:%2: %3</translation>
    </message>
    <message>
        <source>%1 must hold a list of {&quot;role&quot;, &quot;content&quot;} messages</source>
        <translation>%1 muss eine Liste von {&quot;role&quot;, &quot;content&quot;}-Nachrichten enthalten</translation>
    </message>
    <message>
        <source>%1:%2: expected a list of {&quot;role&quot;, &quot;content&quot;} messages</source>
        <translation>%1:%2: eine Liste von {&quot;role&quot;, &quot;content&quot;}-Nachrichten erwartet</translation>
    </message>
    <message>
        <source>expected a prompt or a list of prompts</source>
        <translation>ein Prompt oder eine Liste von Prompts erwartet</translation>
    </message>
    <message>
        <source>expected a string or {raw|id, label}</source>
        <translation>eine Zeichenkette oder {raw|id, label} erwartet</translation>
    </message>
    <message>
        <source>expected chat messages</source>
        <translation>Chat-Nachrichten erwartet</translation>
    </message>
    <message>
        <source>a prompt object needs &quot;raw&quot; or &quot;id&quot;</source>
        <translation>ein Prompt-Objekt braucht &quot;raw&quot; oder &quot;id&quot;</translation>
    </message>
    <message>
        <source>expected a mapping</source>
        <translation>eine Zuordnung erwartet</translation>
    </message>
    <message>
        <source>%1: the API key in the configuration is not imported; Slopscope reads keys from the environment</source>
        <translation>%1: Der API-Schlüssel in der Konfiguration wird nicht importiert; Slopscope liest Schlüssel aus der Umgebung</translation>
    </message>
    <message>
        <source>expected a provider id or a list of providers</source>
        <translation>eine Anbieter-ID oder eine Liste von Anbietern erwartet</translation>
    </message>
    <message>
        <source>expected a provider id or {id, label, config}</source>
        <translation>eine Anbieter-ID oder {id, label, config} erwartet</translation>
    </message>
    <message>
        <source>a provider object needs an &quot;id&quot;</source>
        <translation>ein Anbieter-Objekt braucht eine &quot;id&quot;</translation>
    </message>
    <message>
        <source>tests from %1 cannot be imported (YAML, JSON, JSONL or CSV only)</source>
        <translation>Tests aus %1 können nicht importiert werden (nur YAML, JSON, JSONL oder CSV)</translation>
    </message>
    <message>
        <source>expected a list of tests</source>
        <translation>eine Liste von Tests erwartet</translation>
    </message>
    <message>
        <source>%1 field(s), but the header has %2</source>
        <translation>%1 Feld(er), aber die Kopfzeile hat %2</translation>
    </message>
    <message>
        <source>expected a number</source>
        <translation>Zahl erwartet</translation>
    </message>
    <message>
        <source>the CSV column &quot;%1&quot; is not imported</source>
        <translation>die CSV-Spalte &quot;%1&quot; wird nicht importiert</translation>
    </message>
    <message>
        <source>expected a list of tests or a file:// reference</source>
        <translation>eine Liste von Tests oder ein file://-Verweis erwartet</translation>
    </message>
    <message>
        <source>a test must be a mapping (vars, assert, ...)</source>
        <translation>ein Test muss eine Zuordnung sein (vars, assert, ...)</translation>
    </message>
    <message>
        <source>vars from scripts (%1) cannot be imported</source>
        <translation>vars aus Skripten (%1) können nicht importiert werden</translation>
    </message>
    <message>
        <source>expected a list of assertions</source>
        <translation>eine Liste von Zusicherungen erwartet</translation>
    </message>
    <message>
        <source>expected a mapping with a &quot;type&quot;</source>
        <translation>eine Zuordnung mit einem &quot;type&quot; erwartet</translation>
    </message>
    <message>
        <source>a type is required</source>
        <translation>ein Typ ist erforderlich</translation>
    </message>
    <message>
        <source>assert-set groups are kept as one check that Slopscope cannot grade</source>
        <translation>assert-set-Gruppen werden als eine Prüfung übernommen, die Slopscope nicht bewerten kann</translation>
    </message>
    <message>
        <source>expected a number of at least 0</source>
        <translation>eine Zahl von mindestens 0 erwartet</translation>
    </message>
    <message>
        <source>assertion &quot;%1&quot; settings are not imported</source>
        <translation>die Einstellungen der Zusicherung &quot;%1&quot; werden nicht importiert</translation>
    </message>
    <message>
        <source>assertion type &quot;%1&quot; is kept but cannot be graded (unknown grader)</source>
        <translation>der Zusicherungstyp &quot;%1&quot; wird übernommen, kann aber nicht bewertet werden (unbekannter Auswerter)</translation>
    </message>
    <message>
        <source>test option &quot;%1&quot; is not imported</source>
        <translation>die Testoption &quot;%1&quot; wird nicht importiert</translation>
    </message>
    <message>
        <source>expected a file with one test mapping</source>
        <translation>eine Datei mit einer einzelnen Test-Zuordnung erwartet</translation>
    </message>
    <message>
        <source>expected a mapping (vars, assert, options)</source>
        <translation>eine Zuordnung erwartet (vars, assert, options)</translation>
    </message>
    <message>
        <source>the test key &quot;%1&quot; is not imported</source>
        <translation>der Testschlüssel &quot;%1&quot; wird nicht importiert</translation>
    </message>
    <message>
        <source>per-test &quot;%1&quot; filters are not imported: every test runs on every target and prompt</source>
        <translation>&quot;%1&quot;-Filter pro Test werden nicht importiert: Jeder Test läuft auf jedem Ziel und mit jedem Prompt</translation>
    </message>
    <message>
        <source>fixed providerOutput values are not imported</source>
        <translation>feste providerOutput-Werte werden nicht importiert</translation>
    </message>
    <message>
        <source>expected a mapping of names and values</source>
        <translation>eine Zuordnung von Namen und Werten erwartet</translation>
    </message>
    <message>
        <source>an empty list gives no case</source>
        <translation>eine leere Liste ergibt keinen Fall</translation>
    </message>
    <message>
        <source>the lists in vars expand to more than %1 cases</source>
        <translation>die Listen in vars ergeben mehr als %1 Fälle</translation>
    </message>
    <message>
        <source>an assertion uses {{%1}}, which this test does not define</source>
        <translation>eine Zusicherung verwendet {{%1}}, das dieser Test nicht definiert</translation>
    </message>
    <message>
        <source>the prompt &quot;%1&quot; uses {{%2}}, which this test does not define</source>
        <translation>der Prompt &quot;%1&quot; verwendet {{%2}}, das dieser Test nicht definiert</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>%1 kann nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <source>%1: the file is too large (the limit is %2 MiB)</source>
        <translation>%1: die Datei ist zu groß (die Grenze liegt bei %2 MiB)</translation>
    </message>
    <message>
        <source>%1 is outside the configuration&apos;s folder %2; included files must be inside it</source>
        <translation>%1 liegt außerhalb des Konfigurationsordners %2; eingebundene Dateien müssen darin liegen</translation>
    </message>
</context>
<context>
    <name>ReportChart</name>
    <message>
        <source>Price and quality</source>
        <translation>Preis und Qualität</translation>
    </message>
    <message>
        <source>Cost per 1,000 cases (USD, log scale)</source>
        <translation>Kosten pro 1.000 Fälle (USD, logarithmische Skala)</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>Qualität</translation>
    </message>
    <message>
        <source>cheaper and better</source>
        <translation>günstiger und besser</translation>
    </message>
    <message>
        <source>pricier and better</source>
        <translation>teurer und besser</translation>
    </message>
    <message>
        <source>cheaper and worse</source>
        <translation>günstiger und schlechter</translation>
    </message>
    <message>
        <source>pricier and worse</source>
        <translation>teurer und schlechter</translation>
    </message>
    <message>
        <source>No target has both a quality and a known cost yet.</source>
        <translation>Noch kein Ziel hat sowohl eine Qualität als auch bekannte Kosten.</translation>
    </message>
    <message>
        <source>Not drawn (no quality or unknown cost): %1</source>
        <translation>Nicht gezeichnet (keine Qualität oder unbekannte Kosten): %1</translation>
    </message>
    <message>
        <source>● target   ◉ on the Pareto frontier   │ 95% quality interval</source>
        <translation>● Ziel   ◉ auf der Pareto-Front   │ 95-%-Qualitätsintervall</translation>
    </message>
    <message>
        <source>Drawing a chart needs the graphical application (a QGuiApplication).</source>
        <translation>Das Zeichnen eines Diagramms erfordert die grafische Anwendung (eine QGuiApplication).</translation>
    </message>
    <message>
        <source>The chart could not be encoded as PNG.</source>
        <translation>Das Diagramm konnte nicht als PNG kodiert werden.</translation>
    </message>
    <message>
        <source>The PDF writer could not start.</source>
        <translation>Die PDF-Ausgabe konnte nicht gestartet werden.</translation>
    </message>
</context>
<context>
    <name>ReportExport</name>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1: cannot write: %2</source>
        <translation>%1: kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>%1: a report is .html, .pdf or .md</source>
        <translation>%1: ein Bericht ist .html, .pdf oder .md</translation>
    </message>
    <message>
        <source>%1: a chart is .png, .svg or .pdf</source>
        <translation>%1: ein Diagramm ist .png, .svg oder .pdf</translation>
    </message>
</context>
<context>
    <name>ReportText</name>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>Untitled suite</source>
        <translation>Unbenannte Suite</translation>
    </message>
    <message>
        <source>%1: run report</source>
        <translation>%1: Laufbericht</translation>
    </message>
    <message>
        <source>%1: run %2</source>
        <translation>%1: Lauf %2</translation>
    </message>
    <message>
        <source>Quality is the canonical wording&apos;s mean score over cases with its 95% bootstrap interval. ★ marks targets on the price/quality Pareto frontier. Unknown figures are shown as unknown, never as 0.</source>
        <translation>Qualität ist die mittlere Punktzahl der kanonischen Formulierung über die Fälle, mit ihrem Bootstrap-Intervall zu 95 %. ★ markiert Ziele auf der Pareto-Front von Preis und Qualität. Unbekannte Werte werden als unbekannt angezeigt, nie als 0.</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>Qualität</translation>
    </message>
    <message>
        <source>Each case&apos;s score (0–1, the weighted mean of its assertions) is averaged over its repeats; quality is the mean over cases of the canonical wording. A request that failed scores 0. The interval is a 95% percentile bootstrap over cases.</source>
        <translation>Die Punktzahl jedes Falls (0–1, das gewichtete Mittel seiner Zusicherungen) wird über seine Wiederholungen gemittelt; die Qualität ist das Mittel der kanonischen Formulierung über die Fälle. Eine fehlgeschlagene Anfrage erhält 0 Punkte. Das Intervall ist ein 95-%-Perzentil-Bootstrap über die Fälle.</translation>
    </message>
    <message>
        <source>Brittleness</source>
        <translation>Fragilität</translation>
    </message>
    <message>
        <source>Canonical quality minus reworded quality, over the cases run in both forms, with a paired 95% bootstrap interval. Positive: the target does worse when the same question is asked differently.</source>
        <translation>Kanonische Qualität minus umformulierte Qualität, über die in beiden Formen ausgeführten Fälle, mit einem gepaarten Bootstrap-Intervall zu 95 %. Positiv: Das Ziel schneidet schlechter ab, wenn dieselbe Frage anders gestellt wird.</translation>
    </message>
    <message>
        <source>TTFT</source>
        <translation>TTFT</translation>
    </message>
    <message>
        <source>Time to first token: from sending the answering attempt to the first content of any kind (reasoning included).</source>
        <translation>Zeit bis zum ersten Token: vom Senden des Versuchs, der die Antwort lieferte, bis zum ersten Inhalt jeglicher Art (Denkprozess eingeschlossen).</translation>
    </message>
    <message>
        <source>TTFAT</source>
        <translation>TTFAT</translation>
    </message>
    <message>
        <source>Time to first answer token: to the first content that is not reasoning.</source>
        <translation>Zeit bis zum ersten Antwort-Token: bis zum ersten Inhalt, der kein Denkprozess ist.</translation>
    </message>
    <message>
        <source>Decode tok/s</source>
        <translation>Dekodierung tok/s</translation>
    </message>
    <message>
        <source>Output tokens after the first chunk divided by the time from the first to the last content chunk. Needs two content chunks; estimated from characters (4 per token) when the provider reported no usage.</source>
        <translation>Ausgabe-Tokens nach dem ersten Block, geteilt durch die Zeit vom ersten bis zum letzten Inhaltsblock. Benötigt zwei Inhaltsblöcke; aus Zeichen geschätzt (4 pro Token), wenn der Anbieter keine Nutzung gemeldet hat.</translation>
    </message>
    <message>
        <source>ITL</source>
        <translation>ITL</translation>
    </message>
    <message>
        <source>Inter-token latency: (end-to-end − TTFT) ÷ (streamed tokens − 1).</source>
        <translation>Latenz zwischen Tokens: (Ende-zu-Ende − TTFT) ÷ (gestreamte Tokens − 1).</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Latenz</translation>
    </message>
    <message>
        <source>End to end: from sending the answering attempt to the end of the response. p50 and p95 are nearest-rank percentiles (the ⌈q·n⌉-th smallest).</source>
        <translation>Ende zu Ende: vom Senden des Versuchs, der die Antwort lieferte, bis zum Ende der Antwort. p50 und p95 sind Perzentile nach dem Nearest-Rank-Verfahren (der ⌈q·n⌉-kleinste Wert).</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Kosten</translation>
    </message>
    <message>
        <source>From reported token usage, split into disjoint buckets: uncached input, cached input (cache reads), cache writes, output, and reasoning when it has its own price. Unknown when usage or a needed price is missing; a total is shown only when every cost is known.</source>
        <translation>Aus der gemeldeten Token-Nutzung, aufgeteilt in disjunkte Posten: nicht zwischengespeicherte Eingabe, zwischengespeicherte Eingabe (Cache-Lesezugriffe), Cache-Schreibzugriffe, Ausgabe sowie Denkprozess, falls dieser einen eigenen Preis hat. Unbekannt, wenn die Nutzung oder ein benötigter Preis fehlt; eine Summe wird nur angezeigt, wenn alle Kosten bekannt sind.</translation>
    </message>
    <message>
        <source>Cost per 1k cases</source>
        <translation>Kosten pro 1.000 Fälle</translation>
    </message>
    <message>
        <source>The mean cost of a case (all its repeats and wordings) × 1,000, over cases whose cost is known; unknown if any case&apos;s cost is.</source>
        <translation>Die mittleren Kosten eines Falls (alle seine Wiederholungen und Formulierungen) × 1.000, über die Fälle mit bekannten Kosten; unbekannt, wenn die Kosten eines Falls unbekannt sind.</translation>
    </message>
    <message>
        <source>Error rate</source>
        <translation>Fehlerrate</translation>
    </message>
    <message>
        <source>Share of requests that did not end with a complete answer (errors and truncated answers); cancelled requests are left out.</source>
        <translation>Anteil der Anfragen, die nicht mit einer vollständigen Antwort endeten (Fehler und abgeschnittene Antworten); abgebrochene Anfragen werden nicht berücksichtigt.</translation>
    </message>
    <message>
        <source>Pareto frontier</source>
        <translation>Pareto-Front</translation>
    </message>
    <message>
        <source>Targets that no other target beats on both cost per 1k cases and quality.</source>
        <translation>Ziele, die kein anderes Ziel sowohl bei den Kosten pro 1.000 Fälle als auch bei der Qualität übertrifft.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <source>Suite</source>
        <translation>Suite</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Gestartet</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>Beendet</translation>
    </message>
    <message>
        <source>Repeats</source>
        <translation>Wiederholungen</translation>
    </message>
    <message>
        <source>Rewordings</source>
        <translation>Umformulierungen</translation>
    </message>
    <message>
        <source>run</source>
        <translation>ausgeführt</translation>
    </message>
    <message>
        <source>not run</source>
        <translation>nicht ausgeführt</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Reihenfolge</translation>
    </message>
    <message>
        <source>one provider at a time</source>
        <translation>ein Anbieter nach dem anderen</translation>
    </message>
    <message>
        <source>all providers at once, interleaved</source>
        <translation>alle Anbieter gleichzeitig, verschränkt</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Startwert</translation>
    </message>
    <message>
        <source>Concurrency</source>
        <translation>Parallelität</translation>
    </message>
    <message>
        <source>%1 overall; per provider %2</source>
        <translation>%1 insgesamt; pro Anbieter %2</translation>
    </message>
    <message>
        <source>Spend cap</source>
        <translation>Ausgabenlimit</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keines</translation>
    </message>
    <message>
        <source>Stopped early</source>
        <translation>Vorzeitig beendet</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <source>App version</source>
        <translation>App-Version</translation>
    </message>
    <message>
        <source>Price catalogue</source>
        <translation>Preiskatalog</translation>
    </message>
    <message>
        <source>none (workspace prices only)</source>
        <translation>keiner (nur Preise des Arbeitsbereichs)</translation>
    </message>
    <message>
        <source>%1, commit %2</source>
        <translation>%1, Commit %2</translation>
    </message>
    <message>
        <source>Catalogue date</source>
        <translation>Katalogdatum</translation>
    </message>
    <message>
        <source>simulated; workspace price</source>
        <translation>simuliert; Preis des Arbeitsbereichs</translation>
    </message>
    <message>
        <source>workspace price (not in the catalogue)</source>
        <translation>Preis des Arbeitsbereichs (nicht im Katalog)</translation>
    </message>
    <message>
        <source>catalogue entry %1</source>
        <translation>Katalogeintrag %1</translation>
    </message>
    <message>
        <source>input %1, output %2 per million tokens</source>
        <translation>Eingabe %1, Ausgabe %2 pro Million Tokens</translation>
    </message>
    <message>
        <source>%1: %2 = %3 (catalogue: %4)</source>
        <translation>%1: %2 = %3 (Katalog: %4)</translation>
    </message>
    <message>
        <source>no price</source>
        <translation>kein Preis</translation>
    </message>
    <message>
        <source>Judge–human agreement</source>
        <translation>Übereinstimmung Richter–Mensch</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Judge</source>
        <translation>Richter</translation>
    </message>
    <message>
        <source>n</source>
        <translation>n</translation>
    </message>
    <message>
        <source>Agreement</source>
        <translation>Übereinstimmung</translation>
    </message>
    <message>
        <source>κ</source>
        <translation>κ</translation>
    </message>
    <message>
        <source>all judges</source>
        <translation>alle Richter</translation>
    </message>
    <message>
        <source>How often the judges&apos; pass/fail matched people&apos;s ratings (4 or 5 stars count as a pass), over the n answers both graded; κ is Cohen&apos;s kappa: 1 is perfect agreement, 0 what chance would give.</source>
        <translation>Wie oft das Bestanden/Nicht bestanden der Richter mit den Bewertungen von Menschen übereinstimmte (4 oder 5 Sterne gelten als bestanden), über die n von beiden bewerteten Antworten; κ ist Cohens Kappa: 1 ist perfekte Übereinstimmung, 0 entspricht dem Zufall.</translation>
    </message>
</context>
<context>
    <name>RequestBuilder</name>
    <message>
        <source>Unknown reasoning effort &quot;%1&quot; (expected low, medium or high)</source>
        <translation>Unbekannter Denkaufwand &quot;%1&quot; (erwartet: low, medium oder high)</translation>
    </message>
    <message>
        <source>Reasoning effort &quot;%1&quot; needs a thinking budget of %2 tokens, but max_tokens is %3; raise max_tokens above %2</source>
        <translation>Denkaufwand &quot;%1&quot; braucht ein Denkbudget von %2 Tokens, aber max_tokens ist %3; erhöhen Sie max_tokens auf über %2</translation>
    </message>
    <message>
        <source>Provider %1 uses the embedded simulator, which is not running</source>
        <translation>Anbieter %1 verwendet den eingebetteten Simulator, der nicht läuft</translation>
    </message>
    <message>
        <source>Provider %1: &quot;%2&quot; is not an http(s) URL</source>
        <translation>Anbieter %1: &quot;%2&quot; ist keine http(s)-URL</translation>
    </message>
    <message>
        <source>Provider %1: the base URL must not carry credentials, a query or a fragment; keys belong in the keychain or an environment variable</source>
        <translation>Anbieter %1: Die Basis-URL darf keine Zugangsdaten, keine Abfrage und kein Fragment enthalten; Schlüssel gehören in den Schlüsselbund oder in eine Umgebungsvariable</translation>
    </message>
    <message>
        <source>Target %1 names no model</source>
        <translation>Ziel %1 nennt kein Modell</translation>
    </message>
    <message>
        <source>No API key for provider %1: set %2 in the environment or store it with &quot;slopscope-cli keys set %2&quot;</source>
        <translation>Kein API-Schlüssel für Anbieter %1: Setzen Sie %2 in der Umgebung oder speichern Sie den Schlüssel mit &quot;slopscope-cli keys set %2&quot;</translation>
    </message>
    <message>
        <source>Provider %1: %2</source>
        <translation>Anbieter %1: %2</translation>
    </message>
    <message>
        <source>Provider %1: the header %2 needs the secret %3: set %3 in the environment or store it with &quot;slopscope-cli keys set %3&quot;</source>
        <translation>Anbieter %1: Der Header %2 braucht das Geheimnis %3: Setzen Sie %3 in der Umgebung oder speichern Sie es mit &quot;slopscope-cli keys set %3&quot;</translation>
    </message>
    <message>
        <source>the API key</source>
        <translation>den API-Schlüssel</translation>
    </message>
    <message>
        <source>the secret header %1</source>
        <translation>den geheimen Header %1</translation>
    </message>
    <message>
        <source>Refusing to send %1 of provider %2 over plain HTTP to %3; use https, or mark the provider &quot;allow_insecure_key&quot; if this network is trusted</source>
        <translation>Weigere mich, %1 von Anbieter %2 über unverschlüsseltes HTTP an %3 zu senden; verwenden Sie https oder markieren Sie den Anbieter mit &quot;allow_insecure_key&quot;, wenn dieses Netzwerk vertrauenswürdig ist</translation>
    </message>
    <message>
        <source>Anthropic&apos;s extended thinking allows only tool_choice &quot;auto&quot; or &quot;none&quot;; drop reasoning effort &quot;%1&quot; or the forced tool choice</source>
        <translation>Anthropics Extended Thinking erlaubt nur tool_choice &quot;auto&quot; oder &quot;none&quot;; entfernen Sie den Reasoning-Aufwand &quot;%1&quot; oder die erzwungene Tool-Wahl</translation>
    </message>
</context>
<context>
    <name>RetryPolicy</name>
    <message>
        <source>quota or spend limit reached; not retried</source>
        <translation>Kontingent oder Ausgabenlimit erreicht; nicht wiederholt</translation>
    </message>
    <message>
        <source>the provider asks to retry after %1; not waiting that long</source>
        <translation>der Anbieter bittet um einen erneuten Versuch nach %1; so lange wird nicht gewartet</translation>
    </message>
</context>
<context>
    <name>RoutingFetch</name>
    <message>
        <source>The workspace has no usable target &quot;%1&quot; to ask.</source>
        <translation>Der Arbeitsbereich hat kein nutzbares Ziel „%1“, das gefragt werden könnte.</translation>
    </message>
</context>
<context>
    <name>RoutingPolicy</name>
    <message>
        <source>%1: expected an object</source>
        <translation>%1: Objekt erwartet</translation>
    </message>
    <message>
        <source>%1: unknown kind &quot;%2&quot; (expected cascade, by-tag or best-of-n)</source>
        <translation>%1: unbekannte Art &quot;%2&quot; (erwartet: cascade, by-tag oder best-of-n)</translation>
    </message>
    <message>
        <source>%1: not used by a %2 policy</source>
        <translation>%1: wird von einer %2-Richtlinie nicht verwendet</translation>
    </message>
    <message>
        <source>%1[%2]: expected a target id</source>
        <translation>%1[%2]: Ziel-ID erwartet</translation>
    </message>
    <message>
        <source>%1: a policy needs a name</source>
        <translation>%1: eine Richtlinie braucht einen Namen</translation>
    </message>
    <message>
        <source>%1: a cascade needs at least one stage</source>
        <translation>%1: eine Kaskade braucht mindestens eine Stufe</translation>
    </message>
    <message>
        <source>%1.target: empty target id</source>
        <translation>%1.target: leere Ziel-ID</translation>
    </message>
    <message>
        <source>%1.validator: the last stage has nothing to escalate to</source>
        <translation>%1.validator: die letzte Stufe hat nichts, an das sie eskalieren kann</translation>
    </message>
    <message>
        <source>%1.validator: missing (a target id or &quot;%2&quot; is required before another stage)</source>
        <translation>%1.validator: fehlt (eine Ziel-ID oder &quot;%2&quot; ist vor einer weiteren Stufe erforderlich)</translation>
    </message>
    <message>
        <source>%1.threshold: must be between 0 and 1</source>
        <translation>%1.threshold: muss zwischen 0 und 1 liegen</translation>
    </message>
    <message>
        <source>%1: empty target id</source>
        <translation>%1: leere Ziel-ID</translation>
    </message>
    <message>
        <source>%1.tag: empty tag</source>
        <translation>%1.tag: leeres Schlagwort</translation>
    </message>
    <message>
        <source>%1.tag: tag &quot;%2&quot; already has a rule</source>
        <translation>%1.tag: für das Schlagwort &quot;%2&quot; gibt es bereits eine Regel</translation>
    </message>
    <message>
        <source>%1: best-of-n needs at least two candidates</source>
        <translation>%1: best-of-n braucht mindestens zwei Kandidaten</translation>
    </message>
    <message>
        <source>%1[%2]: empty target id</source>
        <translation>%1[%2]: leere Ziel-ID</translation>
    </message>
    <message>
        <source>%1[%2]: &quot;%3&quot; is already a candidate</source>
        <translation>%1[%2]: &quot;%3&quot; ist bereits ein Kandidat</translation>
    </message>
    <message>
        <source>%1: a routing policy file must be a JSON object</source>
        <translation>%1: eine Datei mit Routing-Richtlinien muss ein JSON-Objekt sein</translation>
    </message>
    <message>
        <source>version: %1 is newer than this Slopscope reads (%2)</source>
        <translation>version: %1 ist neuer, als diese Slopscope-Version lesen kann (%2)</translation>
    </message>
    <message>
        <source>%1.name: duplicate policy name &quot;%2&quot;</source>
        <translation>%1.name: doppelter Richtlinienname &quot;%2&quot;</translation>
    </message>
    <message>
        <source>Cannot open routing policies %1: %2</source>
        <translation>Routing-Richtlinien %1 können nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <source>%1: larger than %2 bytes, not a policy file</source>
        <translation>%1: größer als %2 Bytes, keine Richtliniendatei</translation>
    </message>
    <message>
        <source>Cannot write routing policies %1: %2</source>
        <translation>Routing-Richtlinien %1 können nicht geschrieben werden: %2</translation>
    </message>
</context>
<context>
    <name>RunCommand</name>
    <message>
        <source>History database: %1. Stopping the run.</source>
        <translation>Verlaufsdatenbank: %1. Der Lauf wird angehalten.</translation>
    </message>
    <message>
        <source>Running %1: %2 request(s), run %3…</source>
        <translation>%1 wird ausgeführt: %2 Anfrage(n), Lauf %3…</translation>
    </message>
    <message>
        <source>target</source>
        <translation>ziel</translation>
    </message>
    <message>
        <source>quality</source>
        <translation>qualität</translation>
    </message>
    <message>
        <source>95% interval</source>
        <translation>95-%-Intervall</translation>
    </message>
    <message>
        <source>$/1k cases</source>
        <translation>$/1.000 Fälle</translation>
    </message>
    <message>
        <source>TTFT ms</source>
        <translation>TTFT ms</translation>
    </message>
    <message>
        <source>tok/s</source>
        <translation>tok/s</translation>
    </message>
    <message>
        <source>n</source>
        <translation>n</translation>
    </message>
    <message>
        <source>spent $%1; %2 of %3 request(s) failed%4</source>
        <translation>$%1 ausgegeben; %2 von %3 Anfrage(n) fehlgeschlagen%4</translation>
    </message>
    <message>
        <source>Recorded as run %1 in %2.</source>
        <translation>Als Lauf %1 in %2 aufgezeichnet.</translation>
    </message>
    <message>
        <source>Interrupted: the run did not complete.</source>
        <translation>Unterbrochen: Der Lauf wurde nicht abgeschlossen.</translation>
    </message>
    <message>
        <source>No request was answered: the run could not complete.</source>
        <translation>Keine Anfrage wurde beantwortet: Der Lauf konnte nicht abgeschlossen werden.</translation>
    </message>
    <message>
        <source>Gate failed: the spend cap of $%1 was reached before the run finished.</source>
        <translation>Schranke verfehlt: Das Ausgabenlimit von $%1 wurde erreicht, bevor der Lauf beendet war.</translation>
    </message>
    <message>
        <source>Gate failed: %1</source>
        <translation>Schranke verfehlt: %1</translation>
    </message>
    <message>
        <source>Run a suite against targets and print one line per target.</source>
        <translation>Eine Testsuite mit Zielen ausführen und eine Zeile pro Ziel ausgeben.</translation>
    </message>
    <message>
        <source>Use the bundled demo workspace and the simulator.</source>
        <translation>Den mitgelieferten Demo-Arbeitsbereich und den Simulator verwenden.</translation>
    </message>
    <message>
        <source>Suite file or demo suite name.</source>
        <translation>Testsuite-Datei oder Name einer Demo-Testsuite.</translation>
    </message>
    <message>
        <source>suite</source>
        <translation>testsuite</translation>
    </message>
    <message>
        <source>Workspace file.</source>
        <translation>Arbeitsbereichsdatei.</translation>
    </message>
    <message>
        <source>file</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>Comma-separated target ids.</source>
        <translation>Kommagetrennte Ziel-IDs.</translation>
    </message>
    <message>
        <source>ids</source>
        <translation>ids</translation>
    </message>
    <message>
        <source>Samples per case.</source>
        <translation>Stichproben pro Fall.</translation>
    </message>
    <message>
        <source>k</source>
        <translation>k</translation>
    </message>
    <message>
        <source>Requests in flight at once, over all providers.</source>
        <translation>Gleichzeitig laufende Anfragen, über alle Anbieter.</translation>
    </message>
    <message>
        <source>Also run each case&apos;s rewordings.</source>
        <translation>Zusätzlich die Umformulierungen jedes Falls ausführen.</translation>
    </message>
    <message>
        <source>Measure providers one after another (clean speed figures).</source>
        <translation>Anbieter nacheinander messen (saubere Geschwindigkeitswerte).</translation>
    </message>
    <message>
        <source>Seed of the dispatch order and statistics.</source>
        <translation>Startwert für die Versandreihenfolge und die Statistik.</translation>
    </message>
    <message>
        <source>s</source>
        <translation>s</translation>
    </message>
    <message>
        <source>Stop dispatching once the run has spent this many US dollars (exit 1).</source>
        <translation>Keine Anfragen mehr senden, sobald der Lauf so viele US-Dollar ausgegeben hat (Exit-Code 1).</translation>
    </message>
    <message>
        <source>usd</source>
        <translation>usd</translation>
    </message>
    <message>
        <source>Exit 1 when a target&apos;s figure is under a minimum: quality=0.8, quality_ci_low=0.7, TARGET:quality=80%. May be repeated.</source>
        <translation>Exit-Code 1, wenn eine Kennzahl eines Ziels unter einem Minimum liegt: quality=0.8, quality_ci_low=0.7, TARGET:quality=80%. Kann mehrfach angegeben werden.</translation>
    </message>
    <message>
        <source>gate</source>
        <translation>schranke</translation>
    </message>
    <message>
        <source>Run only slice I of N of the cases (stable by case id), e.g. 2/4.</source>
        <translation>Nur Teil I von N der Fälle ausführen (stabil nach Fall-ID), z. B. 2/4.</translation>
    </message>
    <message>
        <source>i/n</source>
        <translation>i/n</translation>
    </message>
    <message>
        <source>Target that grades llm-rubric, factuality and select-best assertions.</source>
        <translation>Ziel, das Zusicherungen vom Typ llm-rubric, factuality und select-best bewertet.</translation>
    </message>
    <message>
        <source>Unexpected argument &quot;%1&quot;.</source>
        <translation>Unerwartetes Argument &quot;%1&quot;.</translation>
    </message>
    <message>
        <source>Give either --demo or --workspace FILE.</source>
        <translation>Geben Sie entweder --demo oder --workspace FILE an.</translation>
    </message>
    <message>
        <source>--repeat takes a whole number of at least 1.</source>
        <translation>--repeat erwartet eine ganze Zahl von mindestens 1.</translation>
    </message>
    <message>
        <source>--concurrency takes a whole number from 1 to 4096.</source>
        <translation>--concurrency erwartet eine ganze Zahl von 1 bis 4096.</translation>
    </message>
    <message>
        <source>--seed takes a whole number.</source>
        <translation>--seed erwartet eine ganze Zahl.</translation>
    </message>
    <message>
        <source>--max-cost takes a positive number of US dollars, e.g. 0.50.</source>
        <translation>--max-cost erwartet einen positiven Betrag in US-Dollar, z. B. 0.50.</translation>
    </message>
    <message>
        <source>Shard %1/%2 holds none of the suite&apos;s %3 case(s); nothing to run.</source>
        <translation>Shard %1/%2 enthält keinen der %3 Fälle der Testsuite; nichts auszuführen.</translation>
    </message>
    <message>
        <source>--judge %1: the workspace has no such target.</source>
        <translation>--judge %1: Der Arbeitsbereich hat kein solches Ziel.</translation>
    </message>
    <message>
        <source>No suite &quot;%1&quot;: give a file, or one of the demo suites facts, code, benchmark, tools, chains.</source>
        <translation>Keine Suite &quot;%1&quot;: Geben Sie eine Datei an oder eine der Demo-Suiten facts, code, benchmark, tools, chains.</translation>
    </message>
    <message>
        <source>Send again an answer that broke off mid-stream; the new answer replaces it (costs tokens twice).</source>
        <translation>Eine mitten im Stream abgebrochene Antwort erneut senden; die neue Antwort ersetzt sie (kostet Tokens doppelt).</translation>
    </message>
    <message>
        <source>Do not open the first requests&apos; connections before sending them (their TTFT then includes connection set-up, as a cold client&apos;s would).</source>
        <translation>Verbindungen der ersten Anfragen nicht vor dem Senden öffnen (ihre TTFT enthält dann den Verbindungsaufbau, wie bei einem kalten Client).</translation>
    </message>
</context>
<context>
    <name>RunGate</name>
    <message>
        <source>--shard &quot;%1&quot;: expected I/N with 1 ≤ I ≤ N, e.g. 2/4.</source>
        <translation>--shard &quot;%1&quot;: I/N mit 1 ≤ I ≤ N erwartet, z. B. 2/4.</translation>
    </message>
    <message>
        <source>--fail-under &quot;%1&quot;: expected FIGURE=VALUE, e.g. quality=0.8.</source>
        <translation>--fail-under &quot;%1&quot;: KENNZAHL=WERT erwartet, z. B. quality=0.8.</translation>
    </message>
    <message>
        <source>--fail-under &quot;%1&quot;: the target before &apos;:&apos; is empty.</source>
        <translation>--fail-under &quot;%1&quot;: Das Ziel vor &apos;:&apos; ist leer.</translation>
    </message>
    <message>
        <source>--fail-under &quot;%1&quot;: unknown figure &quot;%2&quot; (use quality or quality_ci_low).</source>
        <translation>--fail-under &quot;%1&quot;: unbekannte Kennzahl &quot;%2&quot; (verwenden Sie quality oder quality_ci_low).</translation>
    </message>
    <message>
        <source>--fail-under &quot;%1&quot;: &quot;%2&quot; is not a number.</source>
        <translation>--fail-under &quot;%1&quot;: &quot;%2&quot; ist keine Zahl.</translation>
    </message>
    <message>
        <source>--fail-under &quot;%1&quot;: the minimum must lie between 0 and 1 (or 0% and 100%).</source>
        <translation>--fail-under &quot;%1&quot;: Das Minimum muss zwischen 0 und 1 (oder 0 % und 100 %) liegen.</translation>
    </message>
    <message>
        <source>%1: no %2 to check (no graded case)</source>
        <translation>%1: kein Wert für %2 zu prüfen (kein bewerteter Fall)</translation>
    </message>
    <message>
        <source>%1: %2 %3 is under %4</source>
        <translation>%1: %2 %3 liegt unter %4</translation>
    </message>
    <message>
        <source>%1: no such target in this run</source>
        <translation>%1: kein solches Ziel in diesem Lauf</translation>
    </message>
    <message>
        <source>(any)</source>
        <translation>(beliebig)</translation>
    </message>
</context>
<context>
    <name>RunOutputs</name>
    <message>
        <source>History database (default: the one the app uses).</source>
        <translation>Verlaufsdatenbank (Standard: die von der App verwendete).</translation>
    </message>
    <message>
        <source>file</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>Do not record the run in any database.</source>
        <translation>Den Lauf in keiner Datenbank aufzeichnen.</translation>
    </message>
    <message>
        <source>Write one JSON line per result as it is recorded.</source>
        <translation>Eine JSON-Zeile pro Ergebnis schreiben, sobald es aufgezeichnet wird.</translation>
    </message>
    <message>
        <source>Write the per-target summary (JSON).</source>
        <translation>Die Zusammenfassung pro Ziel schreiben (JSON).</translation>
    </message>
    <message>
        <source>file.json</source>
        <translation>datei.json</translation>
    </message>
    <message>
        <source>Write a report: .html, .pdf or .md. May be repeated.</source>
        <translation>Einen Bericht schreiben: .html, .pdf oder .md. Kann mehrfach angegeben werden.</translation>
    </message>
    <message>
        <source>Write the price/quality chart: .png, .svg or .pdf. May be repeated.</source>
        <translation>Das Preis-Qualitäts-Diagramm schreiben: .png, .svg oder .pdf. Kann mehrfach angegeben werden.</translation>
    </message>
    <message>
        <source>Write one CSV row per result.</source>
        <translation>Eine CSV-Zeile pro Ergebnis schreiben.</translation>
    </message>
    <message>
        <source>Give --db FILE or --no-db, not both.</source>
        <translation>Geben Sie --db DATEI oder --no-db an, nicht beides.</translation>
    </message>
    <message>
        <source>--report %1: the file must end in .html, .pdf or .md.</source>
        <translation>--report %1: Die Datei muss auf .html, .pdf oder .md enden.</translation>
    </message>
    <message>
        <source>--chart %1: the file must end in .png, .svg or .pdf.</source>
        <translation>--chart %1: Die Datei muss auf .png, .svg oder .pdf enden.</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>%1 result(s) could not be saved to %2; they are left out of %3.</source>
        <translation>%1 Ergebnis(se) konnte(n) nicht in %2 gespeichert werden; sie fehlen in %3.</translation>
    </message>
</context>
<context>
    <name>RunSnapshot</name>
    <message>
        <source>Run %1: its %2 snapshot cannot be read back.</source>
        <translation>Lauf %1: Die Momentaufnahme %2 kann nicht zurückgelesen werden.</translation>
    </message>
    <message>
        <source>The run used provider &quot;%1&quot;, which the workspace lacks.</source>
        <translation>Der Lauf verwendete den Anbieter &quot;%1&quot;, den der Arbeitsbereich nicht enthält.</translation>
    </message>
</context>
<context>
    <name>RunStatsText</name>
    <message>
        <source>%1% (%2–%3)</source>
        <translation>%1% (%2–%3)</translation>
    </message>
    <message>
        <source>%1%</source>
        <translation>%1%</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 tok/s</source>
        <translation>%1 tok/s</translation>
    </message>
    <message>
        <source>$%1</source>
        <translation>$%1</translation>
    </message>
    <message>
        <source>%1/%2</source>
        <translation>%1/%2</translation>
    </message>
    <message>
        <source>%1 pp</source>
        <translation>%1 pp</translation>
    </message>
</context>
<context>
    <name>SearchIndex</name>
    <message>
        <source>Cannot update the search index of %1: %2</source>
        <translation>Der Suchindex von %1 kann nicht aktualisiert werden: %2</translation>
    </message>
</context>
<context>
    <name>SimAnswerKey</name>
    <message>
        <source>%1: a suite must be an object with &quot;name&quot; and &quot;cases&quot;</source>
        <translation>%1: eine Testsuite muss ein Objekt mit &quot;name&quot; und &quot;cases&quot; sein</translation>
    </message>
    <message>
        <source>%1: %2: expected an object</source>
        <translation>%1: %2: Objekt erwartet</translation>
    </message>
    <message>
        <source>%1: no prompt and no user message</source>
        <translation>%1: kein Prompt und keine Benutzernachricht</translation>
    </message>
    <message>
        <source>%1: the suite has no cases</source>
        <translation>%1: die Testsuite hat keine Fälle</translation>
    </message>
    <message>
        <source>%1: cannot open: %2</source>
        <translation>%1: kann nicht geöffnet werden: %2</translation>
    </message>
</context>
<context>
    <name>SimFault</name>
    <message>
        <source>unknown fault &quot;%1&quot;</source>
        <translation>unbekannte Störung &quot;%1&quot;</translation>
    </message>
    <message>
        <source>fault parameter &quot;%1&quot; is not of the form name=value</source>
        <translation>Störungsparameter &quot;%1&quot; hat nicht die Form name=value</translation>
    </message>
    <message>
        <source>fault parameter &quot;%1&quot; needs a non-negative number</source>
        <translation>Störungsparameter &quot;%1&quot; braucht eine nicht negative Zahl</translation>
    </message>
    <message>
        <source>unknown fault parameter &quot;%1&quot;</source>
        <translation>unbekannter Störungsparameter &quot;%1&quot;</translation>
    </message>
    <message>
        <source>server_error status must be 500, 502 or 503</source>
        <translation>der Status von server_error muss 500, 502 oder 503 sein</translation>
    </message>
    <message>
        <source>redirect status must be 301, 302, 307 or 308</source>
        <translation>der Status von redirect muss 301, 302, 307 oder 308 sein</translation>
    </message>
    <message>
        <source>port must be at most 65535</source>
        <translation>der Port darf höchstens 65535 sein</translation>
    </message>
</context>
<context>
    <name>SimLog</name>
    <message>
        <source>%1: cannot write the log: %2</source>
        <translation>%1: das Protokoll kann nicht geschrieben werden: %2</translation>
    </message>
</context>
<context>
    <name>SimPersonas</name>
    <message>
        <source>%1: expected an object</source>
        <translation>%1: Objekt erwartet</translation>
    </message>
    <message>
        <source>%1: probabilities must be between 0 and 1</source>
        <translation>%1: Wahrscheinlichkeiten müssen zwischen 0 und 1 liegen</translation>
    </message>
    <message>
        <source>%1: unknown dialect &quot;%2&quot;</source>
        <translation>%1: unbekannter Dialekt &quot;%2&quot;</translation>
    </message>
    <message>
        <source>%1: expected dialect names</source>
        <translation>%1: Dialektnamen erwartet</translation>
    </message>
    <message>
        <source>%1: median must be 0 to 600000 ms and spread 0 to 3</source>
        <translation>%1: Der Median muss 0 bis 600000 ms und die Streuung 0 bis 3 betragen</translation>
    </message>
    <message>
        <source>%1: must be between 0.1 and 1000000</source>
        <translation>%1: muss zwischen 0.1 und 1000000 liegen</translation>
    </message>
    <message>
        <source>%1: spread must be between 0 and 3</source>
        <translation>%1: Die Streuung muss zwischen 0 und 3 liegen</translation>
    </message>
    <message>
        <source>%1: a price cannot be negative</source>
        <translation>%1: ein Preis kann nicht negativ sein</translation>
    </message>
    <message>
        <source>%1.categories: expected an object</source>
        <translation>%1.categories: Objekt erwartet</translation>
    </message>
    <message>
        <source>%1: probability must be between 0 and 1</source>
        <translation>%1: Die Wahrscheinlichkeit muss zwischen 0 und 1 liegen</translation>
    </message>
    <message>
        <source>%1: expected an object with a &quot;personas&quot; array</source>
        <translation>%1: ein Objekt mit einem Array &quot;personas&quot; erwartet</translation>
    </message>
    <message>
        <source>%1: %2: duplicate persona id &quot;%3&quot;</source>
        <translation>%1: %2: doppelte Persona-ID &quot;%3&quot;</translation>
    </message>
    <message>
        <source>%1: the &quot;personas&quot; array is empty</source>
        <translation>%1: das Array &quot;personas&quot; ist leer</translation>
    </message>
    <message>
        <source>%1: cannot open: %2</source>
        <translation>%1: kann nicht geöffnet werden: %2</translation>
    </message>
</context>
<context>
    <name>Slopscope::AddTargetDialog</name>
    <message>
        <source>Add Target</source>
        <translation>Ziel hinzufügen</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>choose or type a model</source>
        <translation>Modell auswählen oder eingeben</translation>
    </message>
    <message>
        <source>Target id</source>
        <translation>Ziel-ID</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>Bezeichnung</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>Farbe</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>Input price per million tokens</source>
        <translation>Eingabepreis pro Million Tokens</translation>
    </message>
    <message>
        <source>Output price per million tokens</source>
        <translation>Ausgabepreis pro Million Tokens</translation>
    </message>
    <message>
        <source>provider default</source>
        <translation>Anbieter-Standard</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>Temperatur</translation>
    </message>
    <message>
        <source>Maximum output tokens</source>
        <translation>Maximale Ausgabe-Tokens</translation>
    </message>
    <message>
        <source>Reasoning effort</source>
        <translation>Denkaufwand</translation>
    </message>
    <message>
        <source>&amp;Source:</source>
        <translation>&amp;Quelle:</translation>
    </message>
    <message>
        <source>&amp;Model:</source>
        <translation>&amp;Modell:</translation>
    </message>
    <message>
        <source>Target i&amp;d:</source>
        <translation>Ziel-&amp;ID:</translation>
    </message>
    <message>
        <source>&amp;Label:</source>
        <translation>&amp;Bezeichnung:</translation>
    </message>
    <message>
        <source>&amp;Colour:</source>
        <translation>&amp;Farbe:</translation>
    </message>
    <message>
        <source>&amp;Input $/Mtok:</source>
        <translation>&amp;Eingabe $/Mtok:</translation>
    </message>
    <message>
        <source>&amp;Output $/Mtok:</source>
        <translation>&amp;Ausgabe $/Mtok:</translation>
    </message>
    <message>
        <source>&amp;Temperature:</source>
        <translation>&amp;Temperatur:</translation>
    </message>
    <message>
        <source>Max to&amp;kens:</source>
        <translation>Max. To&amp;kens:</translation>
    </message>
    <message>
        <source>&amp;Reasoning effort:</source>
        <translation>&amp;Reasoning-Aufwand:</translation>
    </message>
    <message>
        <source>%1 (in this workspace)</source>
        <translation>%1 (in diesem Arbeitsbereich)</translation>
    </message>
    <message>
        <source>%1 (preset, %2)</source>
        <translation>%1 (Voreinstellung, %2)</translation>
    </message>
    <message>
        <source>%1 (preset)</source>
        <translation>%1 (Voreinstellung)</translation>
    </message>
    <message>
        <source>Looking for local servers…</source>
        <translation>Lokale Server werden gesucht…</translation>
    </message>
    <message numerus="yes">
        <source>%1 at %2 (found, %n model(s))</source>
        <translation>
            <numerusform>%1 unter %2 (gefunden, %n Modell)</numerusform>
            <numerusform>%1 unter %2 (gefunden, %n Modelle)</numerusform>
        </translation>
    </message>
    <message>
        <source>No local server answered on its default port.</source>
        <translation>Kein lokaler Server hat auf seinem Standardport geantwortet.</translation>
    </message>
    <message numerus="yes">
        <source>Found %n local server(s).</source>
        <translation>
            <numerusform>%n lokaler Server gefunden.</numerusform>
            <numerusform>%n lokale Server gefunden.</numerusform>
        </translation>
    </message>
    <message>
        <source>Leave a price empty when it is unknown.</source>
        <translation>Lassen Sie einen Preis leer, wenn er unbekannt ist.</translation>
    </message>
    <message>
        <source>No price catalogue: leave a price empty when it is unknown.</source>
        <translation>Kein Preiskatalog: Lassen Sie einen Preis leer, wenn er unbekannt ist.</translation>
    </message>
    <message>
        <source>“%1” is not in the price catalogue of %2: leave the prices empty for unknown, or enter them.</source>
        <translation>„%1“ ist nicht im Preiskatalog vom %2: Lassen Sie die Preise leer, wenn sie unbekannt sind, oder geben Sie sie ein.</translation>
    </message>
    <message>
        <source>From the price catalogue of %1 (%2), for short prompts; edit to override.</source>
        <translation>Aus dem Preiskatalog vom %1 (%2), für kurze Prompts; zum Überschreiben bearbeiten.</translation>
    </message>
    <message>
        <source>From the price catalogue of %1 (%2); edit to override.</source>
        <translation>Aus dem Preiskatalog vom %1 (%2); zum Überschreiben bearbeiten.</translation>
    </message>
    <message>
        <source>Target Colour</source>
        <translation>Zielfarbe</translation>
    </message>
    <message>
        <source>Choose where the model runs.</source>
        <translation>Wählen Sie, wo das Modell läuft.</translation>
    </message>
    <message>
        <source>Choose or type a model.</source>
        <translation>Wählen Sie ein Modell aus oder geben Sie eines ein.</translation>
    </message>
    <message>
        <source>Give the target an id.</source>
        <translation>Geben Sie dem Ziel eine ID.</translation>
    </message>
    <message>
        <source>A target with the id “%1” already exists: choose another id.</source>
        <translation>Ein Ziel mit der ID „%1“ existiert bereits: Wählen Sie eine andere ID.</translation>
    </message>
    <message>
        <source>“%1” is not a valid %2.</source>
        <translation>„%1“ ist kein gültiger Wert für %2.</translation>
    </message>
</context>
<context>
    <name>Slopscope::AppearanceSettingsPage</name>
    <message>
        <source>Theme</source>
        <translation>Design</translation>
    </message>
    <message>
        <source>&amp;System (the desktop&apos;s style and colours)</source>
        <translation>S&amp;ystem (Stil und Farben des Desktops)</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>&amp;Hell</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>D&amp;unkel</translation>
    </message>
    <message>
        <source>The theme changes at once and is kept for the next start.</source>
        <translation>Das Design ändert sich sofort und bleibt beim nächsten Start erhalten.</translation>
    </message>
</context>
<context>
    <name>Slopscope::ArenaDialog</name>
    <message>
        <source>Blind Arena</source>
        <translation>Blind-Arena</translation>
    </message>
    <message>
        <source>&amp;Vote</source>
        <translation>&amp;Abstimmen</translation>
    </message>
    <message>
        <source>&amp;Ranking</source>
        <translation>&amp;Rangliste</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>Frage</translation>
    </message>
    <message>
        <source>Answer A</source>
        <translation>Antwort A</translation>
    </message>
    <message>
        <source>Answer B</source>
        <translation>Antwort B</translation>
    </message>
    <message>
        <source>Note (optional), saved with the next vote</source>
        <translation>Notiz (optional), wird mit der nächsten Stimme gespeichert</translation>
    </message>
    <message>
        <source>← A is better</source>
        <translation>← A ist besser</translation>
    </message>
    <message>
        <source>Tie</source>
        <translation>Unentschieden</translation>
    </message>
    <message>
        <source>B is better →</source>
        <translation>B ist besser →</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>Überspringen</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <source>Keys: ← or 1 for A, ↓, T or 2 for a tie, → or 3 for B, S to skip, Ctrl+Z to undo. Which target wrote which answer shows only in the Ranking.</source>
        <translation>Tasten: ← oder 1 für A, ↓, T oder 2 für Unentschieden, → oder 3 für B, S zum Überspringen, Strg+Z zum Rückgängigmachen. Welches Ziel welche Antwort schrieb, zeigt nur die Rangliste.</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Strength</source>
        <translation>Stärke</translation>
    </message>
    <message>
        <source>95% interval</source>
        <translation>95-%-Intervall</translation>
    </message>
    <message>
        <source>Wins</source>
        <translation>Siege</translation>
    </message>
    <message>
        <source>Ties</source>
        <translation>Unentschieden</translation>
    </message>
    <message>
        <source>Losses</source>
        <translation>Niederlagen</translation>
    </message>
    <message>
        <source>Votes</source>
        <translation>Stimmen</translation>
    </message>
    <message numerus="yes">
        <source>Pair %1 of %2 · %n vote(s) so far</source>
        <translation>
            <numerusform>Paar %1 von %2 · bisher %n Stimme</numerusform>
            <numerusform>Paar %1 von %2 · bisher %n Stimmen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Nothing to compare: the arena needs answers from at least two targets to the same case. · %n vote(s)</source>
        <translation>
            <numerusform>Nichts zu vergleichen: Die Arena braucht Antworten von mindestens zwei Zielen auf denselben Fall. · %n Stimme</numerusform>
            <numerusform>Nichts zu vergleichen: Die Arena braucht Antworten von mindestens zwei Zielen auf denselben Fall. · %n Stimmen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>All %1 pairs seen · %n vote(s). See the Ranking tab.</source>
        <translation>
            <numerusform>Alle %1 Paare gesehen · %n Stimme. Siehe Reiter Rangliste.</numerusform>
            <numerusform>Alle %1 Paare gesehen · %n Stimmen. Siehe Reiter Rangliste.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Ranking %n vote(s)…</source>
        <translation>
            <numerusform>Rangliste aus %n Stimme wird berechnet…</numerusform>
            <numerusform>Rangliste aus %n Stimmen wird berechnet…</numerusform>
        </translation>
    </message>
    <message>
        <source>No votes yet: the ranking appears once answers have been compared.</source>
        <translation>Noch keine Stimmen: Die Rangliste erscheint, sobald Antworten verglichen wurden.</translation>
    </message>
    <message numerus="yes">
        <source>Bradley–Terry strengths from %n vote(s) (a tie counts half to each), with 95% bootstrap intervals. Strengths sum to 1; overlapping intervals mean the votes do not separate the targets.</source>
        <translation>
            <numerusform>Bradley–Terry-Stärken aus %n Stimme (ein Unentschieden zählt für jede Seite halb), mit 95-%-Bootstrap-Intervallen. Die Stärken summieren sich zu 1; überlappende Intervalle bedeuten, dass die Stimmen die Ziele nicht trennen.</numerusform>
            <numerusform>Bradley–Terry-Stärken aus %n Stimmen (ein Unentschieden zählt für jede Seite halb), mit 95-%-Bootstrap-Intervallen. Die Stärken summieren sich zu 1; überlappende Intervalle bedeuten, dass die Stimmen die Ziele nicht trennen.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 – %2</source>
        <translation>%1 – %2</translation>
    </message>
    <message>
        <source>This session&apos;s run (not recorded)</source>
        <translation>Lauf dieser Sitzung (nicht aufgezeichnet)</translation>
    </message>
    <message>
        <source>Run to vote on</source>
        <translation>Lauf zum Abstimmen</translation>
    </message>
    <message>
        <source>Vote on another recorded run: suite runs of two or more targets</source>
        <translation>Über einen anderen aufgezeichneten Lauf abstimmen: Suite-Läufe mit zwei oder mehr Zielen</translation>
    </message>
    <message>
        <source>R&amp;un:</source>
        <translation>&amp;Lauf:</translation>
    </message>
    <message>
        <source>Cannot list the recorded runs: %1</source>
        <translation>Die aufgezeichneten Läufe können nicht aufgelistet werden: %1</translation>
    </message>
    <message>
        <source>Cannot open the run: %1</source>
        <translation>Der Lauf kann nicht geöffnet werden: %1</translation>
    </message>
    <message>
        <source>Blind Arena (votes kept until closed: this run is not recorded)</source>
        <translation>Blinde Arena (Stimmen bleiben bis zum Schließen erhalten: dieser Lauf wird nicht aufgezeichnet)</translation>
    </message>
</context>
<context>
    <name>Slopscope::ArenaRunModel</name>
    <message>
        <source>%1 · %2 · %3</source>
        <translation>%1 · %2 · %3</translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;started %2&lt;br&gt;%n target(s): %3</source>
        <translation>
            <numerusform>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;gestartet %2&lt;br&gt;%n Ziel: %3</numerusform>
            <numerusform>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;gestartet %2&lt;br&gt;%n Ziele: %3</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Slopscope::ArenaSession</name>
    <message>
        <source>(The prompt of case %1 is not in the run&apos;s suite.)</source>
        <translation>(Der Prompt von Fall %1 ist nicht in der Suite des Laufs.)</translation>
    </message>
</context>
<context>
    <name>Slopscope::AssertionsEditor</name>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Threshold</source>
        <translation>Schwellenwert</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>Gewichtung</translation>
    </message>
    <message>
        <source>Add assertion</source>
        <translation>Assertion hinzufügen</translation>
    </message>
    <message>
        <source>Remove assertion</source>
        <translation>Assertion entfernen</translation>
    </message>
    <message>
        <source>Assertion type</source>
        <translation>Assertion-Typ</translation>
    </message>
    <message>
        <source>value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Assertion %1 (%2): the value is not valid JSON: %3</source>
        <translation>Assertion %1 (%2): Der Wert ist kein gültiges JSON: %3</translation>
    </message>
    <message>
        <source>Assertion %1: the threshold &quot;%2&quot; is not a number</source>
        <translation>Assertion %1: Der Schwellenwert &quot;%2&quot; ist keine Zahl</translation>
    </message>
    <message>
        <source>Assertion %1: the weight &quot;%2&quot; is not a number of at least 0</source>
        <translation>Assertion %1: Die Gewichtung &quot;%2&quot; ist keine Zahl von mindestens 0</translation>
    </message>
</context>
<context>
    <name>Slopscope::CaseForm</name>
    <message>
        <source>Case id</source>
        <translation>Fall-ID</translation>
    </message>
    <message>
        <source>&amp;Id</source>
        <translation>&amp;ID</translation>
    </message>
    <message>
        <source>id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Beschreibung</translation>
    </message>
    <message>
        <source>D&amp;escription</source>
        <translation>&amp;Beschreibung</translation>
    </message>
    <message>
        <source>description</source>
        <translation>Beschreibung</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Nachrichten</translation>
    </message>
    <message>
        <source>Input kind</source>
        <translation>Eingabeart</translation>
    </message>
    <message>
        <source>In&amp;put</source>
        <translation>&amp;Eingabe</translation>
    </message>
    <message>
        <source>The question; {{name}} is filled from the variables.</source>
        <translation>Die Frage; {{name}} wird aus den Variablen befüllt.</translation>
    </message>
    <message>
        <source>messages</source>
        <translation>Nachrichten</translation>
    </message>
    <message>
        <source>Variables</source>
        <translation>Variablen</translation>
    </message>
    <message>
        <source>Varia&amp;bles</source>
        <translation>&amp;Variablen</translation>
    </message>
    <message>
        <source>variables</source>
        <translation>Variablen</translation>
    </message>
    <message>
        <source>Reference answer</source>
        <translation>Referenzantwort</translation>
    </message>
    <message>
        <source>&amp;Reference</source>
        <translation>&amp;Referenz</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Tags</translation>
    </message>
    <message>
        <source>comma-separated</source>
        <translation>kommagetrennt</translation>
    </message>
    <message>
        <source>&amp;Tags</source>
        <translation>&amp;Tags</translation>
    </message>
    <message>
        <source>tags</source>
        <translation>Tags</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>Gewichtung</translation>
    </message>
    <message>
        <source>How much the case counts in the suite&apos;s score (a number of at least 0)</source>
        <translation>Wie stark der Fall in die Punktzahl der Suite eingeht (eine Zahl von mindestens 0)</translation>
    </message>
    <message>
        <source>&amp;Weight</source>
        <translation>&amp;Gewichtung</translation>
    </message>
    <message>
        <source>weight</source>
        <translation>Gewichtung</translation>
    </message>
    <message>
        <source>Threshold</source>
        <translation>Schwellenwert</translation>
    </message>
    <message>
        <source>none: every assertion must pass</source>
        <translation>keiner: jede Assertion muss bestehen</translation>
    </message>
    <message>
        <source>When set, the case passes when its weighted score reaches it</source>
        <translation>Wenn gesetzt, besteht der Fall, sobald seine gewichtete Punktzahl ihn erreicht</translation>
    </message>
    <message>
        <source>T&amp;hreshold</source>
        <translation>&amp;Schwellenwert</translation>
    </message>
    <message>
        <source>threshold</source>
        <translation>Schwellenwert</translation>
    </message>
    <message>
        <source>Time budget</source>
        <translation>Zeitbudget</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>suite default</source>
        <translation>Suite-Standard</translation>
    </message>
    <message>
        <source>An answer slower than this fails &quot;quality within budget&quot;; 0 is the suite default</source>
        <translation>Eine langsamere Antwort besteht &quot;Qualität im Budget&quot; nicht; 0 ist der Suite-Standard</translation>
    </message>
    <message>
        <source>Time bu&amp;dget</source>
        <translation>&amp;Zeitbudget</translation>
    </message>
    <message>
        <source>time budget</source>
        <translation>Zeitbudget</translation>
    </message>
    <message>
        <source>Metadata</source>
        <translation>Metadaten</translation>
    </message>
    <message>
        <source>&amp;Metadata</source>
        <translation>&amp;Metadaten</translation>
    </message>
    <message>
        <source>metadata</source>
        <translation>Metadaten</translation>
    </message>
    <message>
        <source>Assertions</source>
        <translation>Assertions</translation>
    </message>
    <message>
        <source>A&amp;ssertions</source>
        <translation>&amp;Assertions</translation>
    </message>
    <message>
        <source>assertions</source>
        <translation>Assertions</translation>
    </message>
    <message>
        <source>suite default (%1 ms)</source>
        <translation>Suite-Standard (%1 ms)</translation>
    </message>
    <message>
        <source>suite default (none)</source>
        <translation>Suite-Standard (keiner)</translation>
    </message>
    <message>
        <source>The weight &quot;%1&quot; is not a number of at least 0</source>
        <translation>Die Gewichtung &quot;%1&quot; ist keine Zahl von mindestens 0</translation>
    </message>
    <message>
        <source>The threshold &quot;%1&quot; is not a number</source>
        <translation>Der Schwellenwert &quot;%1&quot; ist keine Zahl</translation>
    </message>
    <message>
        <source>Change %1 of case %2</source>
        <translation>%1 von Fall %2 ändern</translation>
    </message>
    <message>
        <source>Not a number: &quot;%1&quot;</source>
        <translation>Keine Zahl: &quot;%1&quot;</translation>
    </message>
    <message>
        <source>Not a number of at least 0: &quot;%1&quot;</source>
        <translation>Keine Zahl von mindestens 0: &quot;%1&quot;</translation>
    </message>
    <message>
        <source>prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <source>reference</source>
        <translation>Referenz</translation>
    </message>
    <message>
        <source>input kind</source>
        <translation>Eingabeart</translation>
    </message>
</context>
<context>
    <name>Slopscope::CellDetailPanel</name>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Selected answer</source>
        <translation>Ausgewählte Antwort</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>Antwort</translation>
    </message>
    <message>
        <source>Grades</source>
        <translation>Bewertungen</translation>
    </message>
    <message>
        <source>Grades and reasons</source>
        <translation>Bewertungen und Begründungen</translation>
    </message>
    <message>
        <source>Chunk arrivals (time →, text received ↑)</source>
        <translation>Eingang der Blöcke (Zeit →, empfangener Text ↑)</translation>
    </message>
    <message>
        <source>Figures</source>
        <translation>Kennzahlen</translation>
    </message>
    <message>
        <source>Select a cell to see its answer.</source>
        <translation>Wählen Sie eine Zelle aus, um ihre Antwort zu sehen.</translation>
    </message>
    <message>
        <source>%1 · %2: no answer yet</source>
        <translation>%1 · %2: noch keine Antwort</translation>
    </message>
    <message>
        <source>%1 · %2 · repeat %3 of %4</source>
        <translation>%1 · %2 · Wiederholung %3 von %4</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>[refusal] %1</source>
        <translation>[Verweigerung] %1</translation>
    </message>
    <message>
        <source>Not completed: %1</source>
        <translation>Nicht abgeschlossen: %1</translation>
    </message>
    <message>
        <source>no error given</source>
        <translation>kein Fehler angegeben</translation>
    </message>
    <message>
        <source>%1 · score %2</source>
        <translation>%1 · Punktzahl %2</translation>
    </message>
    <message>
        <source>PASS</source>
        <translation>BESTANDEN</translation>
    </message>
    <message>
        <source>FAIL</source>
        <translation>NICHT BESTANDEN</translation>
    </message>
    <message>
        <source>waiting for judge</source>
        <translation>wartet auf Bewerter</translation>
    </message>
    <message>
        <source>pass</source>
        <translation>bestanden</translation>
    </message>
    <message>
        <source>fail</source>
        <translation>nicht bestanden</translation>
    </message>
    <message>
        <source>• %1: %2 (%3) — %4</source>
        <translation>• %1: %2 (%3) — %4</translation>
    </message>
    <message>
        <source>Scores of all repeats: %1</source>
        <translation>Punktzahlen aller Wiederholungen: %1</translation>
    </message>
    <message>
        <source>TTFT %1</source>
        <translation>TTFT %1</translation>
    </message>
    <message>
        <source>total %1</source>
        <translation>gesamt %1</translation>
    </message>
    <message>
        <source>%1%2 tok/s</source>
        <translation>%1%2 tok/s</translation>
    </message>
    <message>
        <source>%1 tokens</source>
        <translation>%1 Tokens</translation>
    </message>
    <message numerus="yes">
        <source>%n chunk(s)</source>
        <translation>
            <numerusform>%n Block</numerusform>
            <numerusform>%n Blöcke</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n stall(s)</source>
        <translation>
            <numerusform>%n Stockung</numerusform>
            <numerusform>%n Stockungen</numerusform>
        </translation>
    </message>
    <message>
        <source>$%1</source>
        <translation>$%1</translation>
    </message>
    <message>
        <source>cost unknown</source>
        <translation>Kosten unbekannt</translation>
    </message>
    <message numerus="yes">
        <source>%n attempt(s)</source>
        <translation>
            <numerusform>%n Versuch</numerusform>
            <numerusform>%n Versuche</numerusform>
        </translation>
    </message>
    <message>
        <source>Chain transcript</source>
        <translation>Ketten-Transkript</translation>
    </message>
    <message>
        <source>[tool call] %1(%2)</source>
        <translation>[Tool-Aufruf] %1(%2)</translation>
    </message>
    <message numerus="yes">
        <source>%n turn(s)</source>
        <translation>
            <numerusform>%n Runde</numerusform>
            <numerusform>%n Runden</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n request(s)</source>
        <translation>
            <numerusform>%n Anfrage</numerusform>
            <numerusform>%n Anfragen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Slopscope::ChunkSparkline</name>
    <message>
        <source>Chunk arrivals</source>
        <translation>Eingang der Blöcke</translation>
    </message>
    <message>
        <source>No chunks arrived</source>
        <translation>Keine Blöcke eingegangen</translation>
    </message>
    <message numerus="yes">
        <source>%n chunk(s) over %1 ms</source>
        <translation>
            <numerusform>%n Block in %1 ms</numerusform>
            <numerusform>%n Blöcke in %1 ms</numerusform>
        </translation>
    </message>
    <message>
        <source>no chunks</source>
        <translation>keine Blöcke</translation>
    </message>
</context>
<context>
    <name>Slopscope::DiffView</name>
    <message>
        <source>&amp;Case</source>
        <translation>&amp;Fall</translation>
    </message>
    <message>
        <source>Case to compare</source>
        <translation>Zu vergleichender Fall</translation>
    </message>
    <message>
        <source>&amp;Left</source>
        <translation>&amp;Links</translation>
    </message>
    <message>
        <source>Left side</source>
        <translation>Linke Seite</translation>
    </message>
    <message>
        <source>&amp;Right</source>
        <translation>R&amp;echts</translation>
    </message>
    <message>
        <source>Right side</source>
        <translation>Rechte Seite</translation>
    </message>
    <message>
        <source>Left answer</source>
        <translation>Linke Antwort</translation>
    </message>
    <message>
        <source>Right answer</source>
        <translation>Rechte Antwort</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Referenz</translation>
    </message>
    <message>
        <source>%1 (no answer yet)</source>
        <translation>%1 (noch keine Antwort)</translation>
    </message>
    <message>
        <source>%1 (repeat %2)</source>
        <translation>%1 (Wiederholung %2)</translation>
    </message>
    <message>
        <source>No results to compare yet.</source>
        <translation>Noch keine Ergebnisse zum Vergleichen.</translation>
    </message>
    <message>
        <source>Too long to compare word by word.</source>
        <translation>Zu lang für einen wortweisen Vergleich.</translation>
    </message>
    <message>
        <source>%1 words in common · %2 only left (orange) · %3 only right (blue)</source>
        <translation>%1 gemeinsame Wörter · %2 nur links (orange) · %3 nur rechts (blau)</translation>
    </message>
    <message>
        <source>Comparing…</source>
        <translation>Wird verglichen…</translation>
    </message>
</context>
<context>
    <name>Slopscope::DisagreementModel</name>
    <message>
        <source>%1 “%2” is stated by %3; %4 state something else.</source>
        <translation>%1 „%2“ laut %3; abweichend: %4.</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Stated by</source>
        <translation>Angegeben von</translation>
    </message>
    <message>
        <source>Others say otherwise</source>
        <translation>Abweichende Angabe von</translation>
    </message>
</context>
<context>
    <name>Slopscope::DriftChart</name>
    <message>
        <source>%</source>
        <translation>%</translation>
    </message>
    <message>
        <source>ms</source>
        <translation>ms</translation>
    </message>
    <message>
        <source>tok/s</source>
        <translation>tok/s</translation>
    </message>
    <message>
        <source>$</source>
        <translation>$</translation>
    </message>
    <message>
        <source>Quality (%)</source>
        <translation>Qualität (%)</translation>
    </message>
    <message>
        <source>Median TTFT (ms)</source>
        <translation>Median-TTFT (ms)</translation>
    </message>
    <message>
        <source>Decode (tok/s)</source>
        <translation>Dekodierung (tok/s)</translation>
    </message>
    <message>
        <source>Cost per case ($)</source>
        <translation>Kosten pro Fall ($)</translation>
    </message>
    <message>
        <source>Run started</source>
        <translation>Lauf gestartet</translation>
    </message>
    <message>
        <source>Reported model changed</source>
        <translation>Gemeldetes Modell geändert</translation>
    </message>
    <message>
        <source>95% interval</source>
        <translation>95-%-Intervall</translation>
    </message>
</context>
<context>
    <name>Slopscope::DriftModel</name>
    <message>
        <source>⚠ %1</source>
        <translation>⚠ %1</translation>
    </message>
    <message>
        <source>The provider reported %1 here but %2 in the run before: the model may have been swapped without notice.</source>
        <translation>Der Anbieter meldete hier %1, im vorherigen Lauf aber %2: Das Modell wurde möglicherweise ohne Ankündigung ausgetauscht.</translation>
    </message>
    <message>
        <source>Run %1</source>
        <translation>Lauf %1</translation>
    </message>
    <message>
        <source>Run started</source>
        <translation>Lauf gestartet</translation>
    </message>
    <message>
        <source>Suite</source>
        <translation>Suite</translation>
    </message>
    <message>
        <source>Quality (95% interval)</source>
        <translation>Qualität (95-%-Intervall)</translation>
    </message>
    <message>
        <source>Median TTFT</source>
        <translation>Median-TTFT</translation>
    </message>
    <message>
        <source>Decode</source>
        <translation>Dekodierung</translation>
    </message>
    <message>
        <source>Cost/case</source>
        <translation>Kosten/Fall</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Reported model</source>
        <translation>Gemeldetes Modell</translation>
    </message>
</context>
<context>
    <name>Slopscope::DriftView</name>
    <message>
        <source>Drift</source>
        <translation>Drift</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Second chart</source>
        <translation>Zweites Diagramm</translation>
    </message>
    <message>
        <source>&amp;Limit dates</source>
        <translation>Zeitraum &amp;begrenzen</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Bis</translation>
    </message>
    <message>
        <source>&amp;Target:</source>
        <translation>&amp;Ziel:</translation>
    </message>
    <message>
        <source>Second &amp;chart:</source>
        <translation>Zweites &amp;Diagramm:</translation>
    </message>
    <message>
        <source>&amp;From</source>
        <translation>&amp;Von</translation>
    </message>
    <message>
        <source>Runs of the target</source>
        <translation>Läufe des Ziels</translation>
    </message>
    <message>
        <source>Reading the history…</source>
        <translation>Verlauf wird gelesen…</translation>
    </message>
    <message>
        <source>Cannot read the history: %1</source>
        <translation>Der Verlauf kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>No run is recorded in %1 yet.</source>
        <translation>In %1 ist noch kein Lauf aufgezeichnet.</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) of %1.</source>
        <translation>
            <numerusform>%n Lauf von %1.</numerusform>
            <numerusform>%n Läufe von %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 The reported model changed %n time(s) (▲ on the chart, ⚠ in the table).</source>
        <translation>
            <numerusform>%1 Das gemeldete Modell hat sich %n-mal geändert (▲ im Diagramm, ⚠ in der Tabelle).</numerusform>
            <numerusform>%1 Das gemeldete Modell hat sich %n-mal geändert (▲ im Diagramm, ⚠ in der Tabelle).</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Until</source>
        <translation>B&amp;is</translation>
    </message>
</context>
<context>
    <name>Slopscope::EscapedLineEdit</name>
    <message>
        <source>Invisible and direction-changing characters are shown as \u followed by their code (\u202E); type one that way to enter it, and \\ for a backslash before a &quot;u&quot;.</source>
        <translation>Unsichtbare und richtungsändernde Zeichen werden als \u gefolgt von ihrem Code angezeigt (\u202E); geben Sie eines so ein, um es einzufügen, und \\ für einen Backslash vor einem &quot;u&quot;.</translation>
    </message>
</context>
<context>
    <name>Slopscope::HeaderTableEditor</name>
    <message>
        <source>Add</source>
        <translation>Hinzufügen</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>row %1 has no header name</source>
        <translation>Zeile %1 hat keinen Header-Namen</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is listed twice</source>
        <translation>&quot;%1&quot; ist doppelt aufgeführt</translation>
    </message>
</context>
<context>
    <name>Slopscope::HistoryBrowser</name>
    <message>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <source>Filter runs</source>
        <translation>Läufe filtern</translation>
    </message>
    <message>
        <source>Recorded runs</source>
        <translation>Aufgezeichnete Läufe</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>Ö&amp;ffnen</translation>
    </message>
    <message>
        <source>&amp;Export Run…</source>
        <translation>Lauf e&amp;xportieren…</translation>
    </message>
    <message>
        <source>&amp;Delete Run…</source>
        <translation>Lauf &amp;löschen…</translation>
    </message>
    <message>
        <source>Cannot read the history: %1</source>
        <translation>Der Verlauf kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>No run is recorded in %1 yet.</source>
        <translation>In %1 ist noch kein Lauf aufgezeichnet.</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) in %1</source>
        <translation>
            <numerusform>%n Lauf in %1</numerusform>
            <numerusform>%n Läufe in %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Exported the run to %1.</source>
        <translation>Der Lauf wurde nach %1 exportiert.</translation>
    </message>
    <message>
        <source>Cannot export the run: %1</source>
        <translation>Der Lauf kann nicht exportiert werden: %1</translation>
    </message>
    <message>
        <source>Cannot delete the run: %1</source>
        <translation>Der Lauf kann nicht gelöscht werden: %1</translation>
    </message>
    <message>
        <source>Export Run</source>
        <translation>Lauf exportieren</translation>
    </message>
    <message>
        <source>Slopscope run (*.sqlite)</source>
        <translation>Slopscope-Lauf (*.sqlite)</translation>
    </message>
    <message>
        <source>Delete Run</source>
        <translation>Lauf löschen</translation>
    </message>
    <message numerus="yes">
        <source>Delete the run of %1 started %2 and its %n result(s)? This cannot be undone.</source>
        <translation>
            <numerusform>Den Lauf von %1 (gestartet %2) und sein %n Ergebnis löschen? Dies kann nicht rückgängig gemacht werden.</numerusform>
            <numerusform>Den Lauf von %1 (gestartet %2) und seine %n Ergebnisse löschen? Dies kann nicht rückgängig gemacht werden.</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Co&amp;mpare</source>
        <translation>&amp;Vergleichen</translation>
    </message>
    <message>
        <source>Compare the selected runs side by side; select two or more with Ctrl or Shift (Ctrl+D)</source>
        <translation>Die ausgewählten Läufe nebeneinander vergleichen; zwei oder mehr mit Strg oder Umschalt auswählen (Strg+D)</translation>
    </message>
    <message>
        <source>D&amp;rift…</source>
        <translation>D&amp;rift…</translation>
    </message>
    <message>
        <source>One target&apos;s quality, speed and cost across every run (Ctrl+Shift+D)</source>
        <translation>Qualität, Geschwindigkeit und Kosten eines Ziels über alle Läufe (Strg+Umschalt+D)</translation>
    </message>
    <message>
        <source>Filter by suite, prompt, target, state or run id</source>
        <translation>Nach Suite, Prompt, Ziel, Status oder Lauf-ID filtern</translation>
    </message>
    <message>
        <source>All runs</source>
        <translation>Alle Läufe</translation>
    </message>
    <message>
        <source>Suite runs</source>
        <translation>Suite-Läufe</translation>
    </message>
    <message>
        <source>Quick compares</source>
        <translation>Schnellvergleiche</translation>
    </message>
    <message>
        <source>Show runs of kind</source>
        <translation>Läufe anzeigen vom Typ</translation>
    </message>
    <message>
        <source>Suite runs, quick-compare exchanges, or both</source>
        <translation>Suite-Läufe, Schnellvergleich-Anfragen oder beides</translation>
    </message>
    <message>
        <source>Open in &amp;Arena…</source>
        <translation>In &amp;Arena öffnen…</translation>
    </message>
    <message>
        <source>Vote blind on this run&apos;s answers, two at a time (Ctrl+Shift+A)</source>
        <translation>Blind über die Antworten dieses Laufs abstimmen, jeweils zwei (Strg+Umschalt+A)</translation>
    </message>
</context>
<context>
    <name>Slopscope::JsonObjectEdit</name>
    <message>
        <source>A JSON object, e.g. %1; empty for none</source>
        <translation>Ein JSON-Objekt, z. B. %1; leer für keines</translation>
    </message>
    <message>
        <source>%1 must be a JSON object ({...}), not a %2</source>
        <translation>%1 muss ein JSON-Objekt ({...}) sein, kein %2</translation>
    </message>
</context>
<context>
    <name>Slopscope::KeyEntryDialog</name>
    <message>
        <source>Set %1</source>
        <translation>%1 festlegen</translation>
    </message>
    <message>
        <source>Enter the key for %1 (used by %2). It is stored in the system keychain and never shown again.</source>
        <translation>Geben Sie den Schlüssel für %1 ein (verwendet von %2). Er wird im Systemschlüsselbund gespeichert und nie wieder angezeigt.</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API-Schlüssel</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
</context>
<context>
    <name>Slopscope::KeychainKeyStore</name>
    <message>
        <source>the system keychain</source>
        <translation>der Systemschlüsselbund</translation>
    </message>
</context>
<context>
    <name>Slopscope::KeyringSecrets</name>
    <message>
        <source>The stored key %1 was confirmed for %2, not for %3: allow it when the app asks before a run or with &quot;slopscope-cli keys allow-host %1 %3&quot;, or set %1 in the environment</source>
        <translation>Der gespeicherte Schlüssel %1 wurde für %2 bestätigt, nicht für %3: Erlauben Sie ihn, wenn die App vor einem Lauf nachfragt, oder mit &quot;slopscope-cli keys allow-host %1 %3&quot;, oder setzen Sie %1 in der Umgebung</translation>
    </message>
</context>
<context>
    <name>Slopscope::KeysSettingsPage</name>
    <message>
        <source>API keys are kept in the system keychain, never in the workspace or the settings. An environment variable of the same name overrides the keychain.</source>
        <translation>API-Schlüssel werden im Systemschlüsselbund aufbewahrt, nie im Arbeitsbereich oder in den Einstellungen. Eine gleichnamige Umgebungsvariable hat Vorrang vor dem Schlüsselbund.</translation>
    </message>
    <message>
        <source>API keys</source>
        <translation>API-Schlüssel</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>Used by</source>
        <translation>Verwendet von</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>This workspace&apos;s providers need no API key: they are all simulated or local.</source>
        <translation>Die Anbieter dieses Arbeitsbereichs brauchen keinen API-Schlüssel: Alle sind simuliert oder lokal.</translation>
    </message>
    <message>
        <source>&amp;Set Key…</source>
        <translation>Schlüssel &amp;festlegen…</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <source>checking…</source>
        <translation>wird geprüft…</translation>
    </message>
    <message>
        <source>environment</source>
        <translation>Umgebung</translation>
    </message>
    <message>
        <source>keychain</source>
        <translation>Schlüsselbund</translation>
    </message>
    <message>
        <source>this session only</source>
        <translation>nur diese Sitzung</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>fehlt</translation>
    </message>
    <message>
        <source>unknown: keychain unavailable</source>
        <translation>unbekannt: Schlüsselbund nicht verfügbar</translation>
    </message>
    <message>
        <source>%1 is set in the environment: that value is used, whatever the keychain holds, until the variable is unset.</source>
        <translation>%1 ist in der Umgebung gesetzt: Dieser Wert wird unabhängig vom Inhalt des Schlüsselbunds verwendet, bis die Variable entfernt wird.</translation>
    </message>
    <message>
        <source>%1 is kept for this session only. The keychain could not take it: %2</source>
        <translation>%1 wird nur für diese Sitzung aufbewahrt. Der Schlüsselbund konnte den Schlüssel nicht übernehmen: %2</translation>
    </message>
    <message>
        <source>The keychain could not answer about %1: %2</source>
        <translation>Der Schlüsselbund konnte keine Auskunft über %1 geben: %2</translation>
    </message>
    <message>
        <source>Saving %1…</source>
        <translation>%1 wird gespeichert…</translation>
    </message>
    <message>
        <source>%1 is saved in the system keychain.</source>
        <translation>%1 ist im Systemschlüsselbund gespeichert.</translation>
    </message>
    <message>
        <source>%1 is kept for this session only: it works until Slopscope quits and is written nowhere.</source>
        <translation>%1 wird nur für diese Sitzung aufbewahrt: Der Schlüssel gilt, bis Slopscope beendet wird, und wird nirgends gespeichert.</translation>
    </message>
    <message>
        <source>%1 was not saved: %2</source>
        <translation>%1 wurde nicht gespeichert: %2</translation>
    </message>
    <message>
        <source>Remove Key</source>
        <translation>Schlüssel entfernen</translation>
    </message>
    <message>
        <source>Remove %1 from the keychain? Providers that use it will fail until a key is set again.</source>
        <translation>%1 aus dem Schlüsselbund entfernen? Anbieter, die ihn verwenden, schlagen fehl, bis wieder ein Schlüssel festgelegt wird.</translation>
    </message>
    <message>
        <source>%1 is removed.</source>
        <translation>%1 wurde entfernt.</translation>
    </message>
    <message>
        <source>%1 was not removed: %2</source>
        <translation>%1 wurde nicht entfernt: %2</translation>
    </message>
</context>
<context>
    <name>Slopscope::LeaderboardModel</name>
    <message>
        <source>%1% (%2–%3)</source>
        <translation>%1% (%2–%3)</translation>
    </message>
    <message>
        <source>%1%</source>
        <translation>%1%</translation>
    </message>
    <message>
        <source>%1 pts (%2 to %3)</source>
        <translation>%1 Pp. (%2 bis %3)</translation>
    </message>
    <message>
        <source>%1 pts</source>
        <translation>%1 Pp.</translation>
    </message>
    <message>
        <source>$%1</source>
        <translation>$%1</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 tok/s</source>
        <translation>%1 tok/s</translation>
    </message>
    <message>
        <source>Target %1</source>
        <translation>Ziel %1</translation>
    </message>
    <message numerus="yes">
        <source>Mean score over %n case(s) in their canonical wording; the range is a 95% bootstrap interval.</source>
        <translation>
            <numerusform>Mittlere Punktzahl über %n Fall in seiner kanonischen Formulierung; der Bereich ist ein Bootstrap-Intervall zu 95 %.</numerusform>
            <numerusform>Mittlere Punktzahl über %n Fälle in ihrer kanonischen Formulierung; der Bereich ist ein Bootstrap-Intervall zu 95 %.</numerusform>
        </translation>
    </message>
    <message>
        <source>Canonical minus reworded quality, in percentage points, over the cases run with variants; the range is a paired 95% bootstrap interval.</source>
        <translation>Kanonische minus umformulierte Qualität in Prozentpunkten, über die mit Varianten ausgeführten Fälle; der Bereich ist ein gepaartes Bootstrap-Intervall zu 95 %.</translation>
    </message>
    <message>
        <source>Unknown: the run had no rewordings (tick Variants).</source>
        <translation>Unbekannt: der Lauf hatte keine Umformulierungen (aktivieren Sie Varianten).</translation>
    </message>
    <message numerus="yes">
        <source>Cost of 1,000 cases at the measured mean; %n answer(s) had no known price and are left out.</source>
        <translation>
            <numerusform>Kosten von 1.000 Fällen beim gemessenen Mittelwert; %n Antwort hatte keinen bekannten Preis und ist nicht berücksichtigt.</numerusform>
            <numerusform>Kosten von 1.000 Fällen beim gemessenen Mittelwert; %n Antworten hatten keinen bekannten Preis und sind nicht berücksichtigt.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cost of 1,000 cases at the mean measured over %n answer(s).</source>
        <translation>
            <numerusform>Kosten von 1.000 Fällen beim Mittelwert, gemessen über %n Antwort.</numerusform>
            <numerusform>Kosten von 1.000 Fällen beim Mittelwert, gemessen über %n Antworten.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Time to first token over %n completed answer(s) (nearest rank).</source>
        <translation>
            <numerusform>Zeit bis zum ersten Token über %n abgeschlossene Antwort (Nearest-Rank-Verfahren).</numerusform>
            <numerusform>Zeit bis zum ersten Token über %n abgeschlossene Antworten (Nearest-Rank-Verfahren).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Median decode speed after the first token, over %n answer(s).</source>
        <translation>
            <numerusform>Median der Dekodiergeschwindigkeit nach dem ersten Token, über %n Antwort.</numerusform>
            <numerusform>Median der Dekodiergeschwindigkeit nach dem ersten Token, über %n Antworten.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Answers that did not complete (failed, truncated, cancelled) out of %n.</source>
        <translation>
            <numerusform>Antworten, die nicht abgeschlossen wurden (fehlgeschlagen, abgeschnitten, abgebrochen), von %n.</numerusform>
            <numerusform>Antworten, die nicht abgeschlossen wurden (fehlgeschlagen, abgeschnitten, abgebrochen), von insgesamt %n.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n case(s) graded</source>
        <translation>
            <numerusform>%n Fall bewertet</numerusform>
            <numerusform>%n Fälle bewertet</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n answer(s) in all</source>
        <translation>
            <numerusform>%n Antwort insgesamt</numerusform>
            <numerusform>%n Antworten insgesamt</numerusform>
        </translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Quality (95% CI)</source>
        <translation>Qualität (95-%-Intervall)</translation>
    </message>
    <message>
        <source>Brittleness</source>
        <translation>Fragilität</translation>
    </message>
    <message>
        <source>$ / 1k cases</source>
        <translation>$ / 1.000 Fälle</translation>
    </message>
    <message>
        <source>TTFT p50</source>
        <translation>TTFT p50</translation>
    </message>
    <message>
        <source>TTFT p95</source>
        <translation>TTFT p95</translation>
    </message>
    <message>
        <source>Decode</source>
        <translation>Dekodierung</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>n</source>
        <translation>n</translation>
    </message>
    <message numerus="yes">
        <source>%1% agreement, κ = %2, over %n answer(s) graded by a judge and rated by a person</source>
        <translation>
            <numerusform>%1 % Übereinstimmung, κ = %2, über %n Antwort, von einem Richter bewertet und von einer Person benotet</numerusform>
            <numerusform>%1 % Übereinstimmung, κ = %2, über %n Antworten, von einem Richter bewertet und von einer Person benotet</numerusform>
        </translation>
    </message>
    <message>
        <source>Unknown: no answer of this target has both a judge&apos;s verdict and a person&apos;s rating (rate answers in the matrix).</source>
        <translation>Unbekannt: Keine Antwort dieses Ziels hat sowohl ein Richterurteil als auch eine menschliche Bewertung (bewerten Sie Antworten in der Matrix).</translation>
    </message>
    <message>
        <source>Judge %1: %2</source>
        <translation>Richter %1: %2</translation>
    </message>
    <message>
        <source>Judge %1: no answer both graded</source>
        <translation>Richter %1: keine von beiden bewertete Antwort</translation>
    </message>
    <message>
        <source>κ (Cohen&apos;s kappa): 1 is perfect agreement, 0 what chance would give.</source>
        <translation>κ (Cohens Kappa): 1 ist perfekte Übereinstimmung, 0 entspricht dem Zufall.</translation>
    </message>
    <message>
        <source>Judge–human agreement</source>
        <translation>Übereinstimmung Richter–Mensch</translation>
    </message>
</context>
<context>
    <name>Slopscope::LeaderboardView</name>
    <message>
        <source>Leaderboard</source>
        <translation>Rangliste</translation>
    </message>
</context>
<context>
    <name>Slopscope::LocalDiscovery</name>
    <message>
        <source>not a JSON object</source>
        <translation>kein JSON-Objekt</translation>
    </message>
    <message>
        <source>no model list in the answer</source>
        <translation>keine Modellliste in der Antwort</translation>
    </message>
</context>
<context>
    <name>Slopscope::MainWindow</name>
    <message>
        <source>Targets</source>
        <translation>Ziele</translation>
    </message>
    <message>
        <source>Quadrant</source>
        <translation>Quadrantendiagramm</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <source>Suite</source>
        <translation>Suite</translation>
    </message>
    <message>
        <source>Suite </source>
        <translation>Testsuite </translation>
    </message>
    <message>
        <source>Repeats</source>
        <translation>Wiederholungen</translation>
    </message>
    <message>
        <source>  Repeats </source>
        <translation>  Wiederholungen </translation>
    </message>
    <message>
        <source>Variants</source>
        <translation>Varianten</translation>
    </message>
    <message>
        <source>Also send each case&apos;s rewordings, to measure brittleness.</source>
        <translation>Zusätzlich die Umformulierungen jedes Falls senden, um die Fragilität zu messen.</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>Aus&amp;führen</translation>
    </message>
    <message>
        <source>Run the suite on the checked targets (Ctrl+R)</source>
        <translation>Die Testsuite mit den angehakten Zielen ausführen (Strg+R)</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>&amp;Stoppen</translation>
    </message>
    <message>
        <source>Stop the run, keeping what has arrived (Ctrl+.)</source>
        <translation>Den Lauf anhalten und das bisher Eingegangene behalten (Strg+.)</translation>
    </message>
    <message>
        <source>%v / %m</source>
        <translation>%v / %m</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Ergebnisse</translation>
    </message>
    <message>
        <source>Results matrix</source>
        <translation>Ergebnismatrix</translation>
    </message>
    <message>
        <source>Answer diff</source>
        <translation>Antwortvergleich</translation>
    </message>
    <message>
        <source>&amp;Matrix</source>
        <translation>Ergebnis&amp;matrix</translation>
    </message>
    <message>
        <source>&amp;Leaderboard</source>
        <translation>&amp;Rangliste</translation>
    </message>
    <message>
        <source>&amp;Diff</source>
        <translation>&amp;Vergleich</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Export Quadrant…</source>
        <translation>Quadrantendiagramm e&amp;xportieren…</translation>
    </message>
    <message>
        <source>Export Quadrant</source>
        <translation>Quadrantendiagramm exportieren</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG image (*.svg);;PDF (*.pdf)</source>
        <translation>PNG-Bild (*.png);;SVG-Bild (*.svg);;PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Cannot export the quadrant</source>
        <translation>Das Quadrantendiagramm kann nicht exportiert werden</translation>
    </message>
    <message>
        <source>Export &amp;Results…</source>
        <translation>&amp;Ergebnisse exportieren…</translation>
    </message>
    <message>
        <source>Export Results</source>
        <translation>Ergebnisse exportieren</translation>
    </message>
    <message>
        <source>HTML report (*.html);;PDF report (*.pdf);;Markdown report (*.md);;Summary (*.json);;Results, one JSON line each (*.jsonl);;Results table (*.csv);;Chart (*.png *.svg)</source>
        <translation>HTML-Bericht (*.html);;PDF-Bericht (*.pdf);;Markdown-Bericht (*.md);;Zusammenfassung (*.json);;Ergebnisse, je eine JSON-Zeile (*.jsonl);;Ergebnistabelle (*.csv);;Diagramm (*.png *.svg)</translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation>%1 exportiert</translation>
    </message>
    <message>
        <source>Cannot export the results</source>
        <translation>Die Ergebnisse können nicht exportiert werden</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>Results &amp;Matrix</source>
        <translation>Ergebnis&amp;matrix</translation>
    </message>
    <message>
        <source>Show &amp;Results</source>
        <translation>&amp;Ergebnisse anzeigen</translation>
    </message>
    <message>
        <source>Show &amp;Targets</source>
        <translation>&amp;Ziele anzeigen</translation>
    </message>
    <message>
        <source>Show &amp;Quadrant</source>
        <translation>&amp;Quadrantendiagramm anzeigen</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About Slopscope</source>
        <translation>Ü&amp;ber Slopscope</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>Über &amp;Qt</translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n case(s))</source>
        <translation>
            <numerusform>%1 (%n Fall)</numerusform>
            <numerusform>%1 (%n Fälle)</numerusform>
        </translation>
    </message>
    <message>
        <source>no workspace</source>
        <translation>kein Arbeitsbereich</translation>
    </message>
    <message>
        <source>%1 — Slopscope %2</source>
        <translation>%1 — Slopscope %2</translation>
    </message>
    <message numerus="yes">
        <source>%n target(s)</source>
        <translation>
            <numerusform>%n Ziel</numerusform>
            <numerusform>%n Ziele</numerusform>
        </translation>
    </message>
    <message>
        <source>History not recorded: %1</source>
        <translation>Verlauf nicht aufgezeichnet: %1</translation>
    </message>
    <message>
        <source>There are no results to export yet: run a suite first.</source>
        <translation>Es gibt noch keine Ergebnisse zum Exportieren: Führen Sie zuerst eine Testsuite aus.</translation>
    </message>
    <message>
        <source>%1: choose a file ending in .html, .pdf, .md, .json, .jsonl, .csv, .png or .svg.</source>
        <translation>%1: Wählen Sie eine Datei mit der Endung .html, .pdf, .md, .json, .jsonl, .csv, .png oder .svg.</translation>
    </message>
    <message>
        <source>History: saved again.</source>
        <translation>Verlauf: erneut gespeichert.</translation>
    </message>
    <message>
        <source>History: %1 (waiting)</source>
        <translation>Verlauf: %1 (wartet)</translation>
    </message>
    <message numerus="yes">
        <source>History: %1. The run was stopped; %n finished result(s) wait in memory and are saved as soon as the disk allows.</source>
        <translation>
            <numerusform>Verlauf: %1. Der Lauf wurde angehalten; %n fertiges Ergebnis wartet im Speicher und wird gespeichert, sobald der Datenträger es zulässt.</numerusform>
            <numerusform>Verlauf: %1. Der Lauf wurde angehalten; %n fertige Ergebnisse warten im Speicher und werden gespeichert, sobald der Datenträger es zulässt.</numerusform>
        </translation>
    </message>
    <message>
        <source>History: %1</source>
        <translation>Verlauf: %1</translation>
    </message>
    <message>
        <source>%1 of %2 · %3</source>
        <translation>%1 von %2 · %3</translation>
    </message>
    <message>
        <source>Open a suite first.</source>
        <translation>Öffnen Sie zuerst eine Testsuite.</translation>
    </message>
    <message>
        <source>Check at least one target.</source>
        <translation>Markieren Sie mindestens ein Ziel.</translation>
    </message>
    <message>
        <source>Cannot start the run</source>
        <translation>Der Lauf kann nicht gestartet werden</translation>
    </message>
    <message numerus="yes">
        <source>Running %1 on %n target(s)…</source>
        <translation>
            <numerusform>%1 wird mit %n Ziel ausgeführt…</numerusform>
            <numerusform>%1 wird mit %n Zielen ausgeführt…</numerusform>
        </translation>
    </message>
    <message>
        <source>attempt %1</source>
        <translation>Versuch %1</translation>
    </message>
    <message>
        <source>Case %1</source>
        <translation>Fall %1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>pass</source>
        <translation>bestanden</translation>
    </message>
    <message>
        <source>fail (score %1)</source>
        <translation>nicht bestanden (Punktzahl %1)</translation>
    </message>
    <message>
        <source>spent $%1</source>
        <translation>$%1 ausgegeben</translation>
    </message>
    <message>
        <source>Run stopped: %1.</source>
        <translation>Lauf angehalten: %1.</translation>
    </message>
    <message numerus="yes">
        <source>Run finished: %n result(s).</source>
        <translation>
            <numerusform>Lauf beendet: %n Ergebnis.</numerusform>
            <numerusform>Lauf beendet: %n Ergebnisse.</numerusform>
        </translation>
    </message>
    <message>
        <source>Open Workspace</source>
        <translation>Arbeitsbereich öffnen</translation>
    </message>
    <message>
        <source>Slopscope workspaces (*.json);;All files (*)</source>
        <translation>Slopscope-Arbeitsbereiche (*.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Cannot open workspace</source>
        <translation>Arbeitsbereich kann nicht geöffnet werden</translation>
    </message>
    <message>
        <source>Open Suite</source>
        <translation>Testsuite öffnen</translation>
    </message>
    <message>
        <source>Slopscope suites (*.json);;All files (*)</source>
        <translation>Slopscope-Testsuiten (*.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Cannot open suite</source>
        <translation>Testsuite kann nicht geöffnet werden</translation>
    </message>
    <message>
        <source>About Slopscope</source>
        <translation>Über Slopscope</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Slopscope %1&lt;/h3&gt;&lt;p&gt;Price, speed and quality of LLM providers, measured on your own prompts.&lt;/p&gt;&lt;p&gt;MIT licence. Third-party notices ship with the application.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Slopscope %1&lt;/h3&gt;&lt;p&gt;Preis, Geschwindigkeit und Qualität von LLM-Anbietern, gemessen an Ihren eigenen Prompts.&lt;/p&gt;&lt;p&gt;MIT-Lizenz. Die Hinweise zu Komponenten von Drittanbietern werden mit der Anwendung ausgeliefert.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Einstellungen</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <source>The language changes when Slopscope starts again.</source>
        <translation>Die Sprache wird beim nächsten Start von Slopscope umgestellt.</translation>
    </message>
    <message>
        <source>System Default</source>
        <translation>Systemstandard</translation>
    </message>
    <message>
        <source>&amp;History…</source>
        <translation>&amp;Verlauf…</translation>
    </message>
    <message>
        <source>Stop the current run before opening another from the history.</source>
        <translation>Halten Sie den aktuellen Lauf an, bevor Sie einen anderen aus dem Verlauf öffnen.</translation>
    </message>
    <message>
        <source>No history is open.</source>
        <translation>Es ist kein Verlauf geöffnet.</translation>
    </message>
    <message>
        <source>Showing the recorded run of %1 from %2 (%3): nothing was sent.</source>
        <translation>Angezeigt wird der aufgezeichnete Lauf von %1 vom %2 (%3): Es wurde nichts gesendet.</translation>
    </message>
    <message>
        <source>Cannot open the run</source>
        <translation>Der Lauf kann nicht geöffnet werden</translation>
    </message>
    <message>
        <source>History Damaged</source>
        <translation>Verlauf beschädigt</translation>
    </message>
    <message>
        <source>&amp;Restore Backup</source>
        <translation>Sicherung &amp;wiederherstellen</translation>
    </message>
    <message>
        <source>Keep the &amp;Empty History</source>
        <translation>&amp;Leeren Verlauf behalten</translation>
    </message>
    <message>
        <source>History restored from %1.</source>
        <translation>Verlauf aus %1 wiederhergestellt.</translation>
    </message>
    <message>
        <source>Routing &amp;Policies…</source>
        <translation>&amp;Routing-Richtlinien…</translation>
    </message>
    <message>
        <source>Replay routing policies over this run&apos;s results (Ctrl+Shift+R)</source>
        <translation>Routing-Richtlinien über die Ergebnisse dieses Laufs nachspielen (Strg+Umschalt+R)</translation>
    </message>
    <message>
        <source>the recorded run of %1</source>
        <translation>den aufgezeichneten Lauf vom %1</translation>
    </message>
    <message>
        <source>A run is going: its results are replayed when it ends.</source>
        <translation>Ein Lauf ist im Gange: Seine Ergebnisse werden nachgespielt, wenn er endet.</translation>
    </message>
    <message>
        <source>the last run</source>
        <translation>den letzten Lauf</translation>
    </message>
    <message>
        <source>No finished run to replay yet: run a suite, or open one from File ▸ History.</source>
        <translation>Noch kein abgeschlossener Lauf zum Nachspielen: Führen Sie eine Testsuite aus oder öffnen Sie einen Lauf über Datei ▸ Verlauf.</translation>
    </message>
    <message>
        <source>A run is going.</source>
        <translation>Ein Lauf ist im Gange.</translation>
    </message>
    <message>
        <source>Fetching records into the history, and none is open.</source>
        <translation>Das Nachholen wird im Verlauf gespeichert, und es ist keiner geöffnet.</translation>
    </message>
    <message>
        <source>Cannot fetch: %1</source>
        <translation>Nachholen nicht möglich: %1</translation>
    </message>
    <message numerus="yes">
        <source>Fetching %n answer(s)</source>
        <translation>
            <numerusform>%n Antwort wird nachgeholt</numerusform>
            <numerusform>%n Antworten werden nachgeholt</numerusform>
        </translation>
    </message>
    <message>
        <source>The fetch stopped: %1.</source>
        <translation>Das Nachholen wurde beendet: %1.</translation>
    </message>
    <message numerus="yes">
        <source>Fetched %n answer(s)</source>
        <translation>
            <numerusform>%n Antwort nachgeholt</numerusform>
            <numerusform>%n Antworten nachgeholt</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n result(s) were still being written; the history will have them.</source>
        <translation>
            <numerusform>%n Ergebnis wurde noch geschrieben; der Verlauf wird es enthalten.</numerusform>
            <numerusform>%n Ergebnisse wurden noch geschrieben; der Verlauf wird sie enthalten.</numerusform>
        </translation>
    </message>
    <message>
        <source>Fetched, but the run cannot be shown again: %1</source>
        <translation>Nachgeholt, aber der Lauf kann nicht erneut angezeigt werden: %1</translation>
    </message>
    <message numerus="yes">
        <source>and %n judge call(s)…</source>
        <translation>
            <numerusform>und %n Richteraufruf…</numerusform>
            <numerusform>und %n Richteraufrufe…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>and %n judge call(s).</source>
        <translation>
            <numerusform>und %n Richteraufruf.</numerusform>
            <numerusform>und %n Richteraufrufe.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>(%n verdict(s) or pick(s) could not be asked: %1)</source>
        <translation>
            <numerusform>(%n Urteil oder Auswahl konnte nicht erfragt werden: %1)</numerusform>
            <numerusform>(%n Urteile oder Auswahlen konnten nicht erfragt werden: %1)</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message numerus="yes">
        <source>The keychain could not give %n key(s): %1</source>
        <translation>
            <numerusform>Der Schlüsselbund konnte %n Schlüssel nicht liefern: %1</numerusform>
            <numerusform>Der Schlüsselbund konnte %n Schlüssel nicht liefern: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Add Target…</source>
        <translation>Ziel &amp;hinzufügen…</translation>
    </message>
    <message>
        <source>Re&amp;move Target</source>
        <translation>Ziel &amp;entfernen</translation>
    </message>
    <message>
        <source>Select a target in the lineup first.</source>
        <translation>Wählen Sie zuerst ein Ziel in der Aufstellung aus.</translation>
    </message>
    <message>
        <source>Cannot remove the target</source>
        <translation>Das Ziel kann nicht entfernt werden</translation>
    </message>
    <message>
        <source>Removed %1 (Undo brings it back).</source>
        <translation>%1 entfernt („Rückgängig“ stellt es wieder her).</translation>
    </message>
    <message>
        <source>Stop the run before changing the lineup.</source>
        <translation>Halten Sie den Lauf an, bevor Sie die Aufstellung ändern.</translation>
    </message>
    <message>
        <source>Cannot add the target</source>
        <translation>Das Ziel kann nicht hinzugefügt werden</translation>
    </message>
    <message>
        <source>Add %1</source>
        <translation>%1 hinzufügen</translation>
    </message>
    <message>
        <source>Added %1.</source>
        <translation>%1 hinzugefügt.</translation>
    </message>
    <message>
        <source>Remove %1</source>
        <translation>%1 entfernen</translation>
    </message>
    <message>
        <source>The run was not started.</source>
        <translation>Der Lauf wurde nicht gestartet.</translation>
    </message>
    <message>
        <source>Waiting for the keychain to give the workspace&apos;s API keys…</source>
        <translation>Warten, bis der Schlüsselbund die API-Schlüssel des Arbeitsbereichs liefert…</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <source>Open &amp;Workspace…</source>
        <translation>&amp;Arbeitsbereich öffnen…</translation>
    </message>
    <message>
        <source>Show &amp;Suite</source>
        <translation>&amp;Suite anzeigen</translation>
    </message>
    <message>
        <source>Cannot run the suite: %1</source>
        <translation>Die Suite kann nicht ausgeführt werden: %1</translation>
    </message>
    <message>
        <source>Quick Compare</source>
        <translation>Schnellvergleich</translation>
    </message>
    <message>
        <source>The keychain is still giving the workspace&apos;s API keys; send again in a moment.</source>
        <translation>Der Schlüsselbund liefert noch die API-Schlüssel des Arbeitsbereichs; senden Sie gleich noch einmal.</translation>
    </message>
    <message>
        <source>&amp;Quick Compare</source>
        <translation>&amp;Schnellvergleich</translation>
    </message>
    <message>
        <source>Send one prompt or a chat to every checked target (Ctrl+K)</source>
        <translation>Einen Prompt oder einen Chat an jedes markierte Ziel senden (Ctrl+K)</translation>
    </message>
    <message>
        <source>Quick compare cases</source>
        <translation>Schnellvergleichsfälle</translation>
    </message>
    <message>
        <source>Saved as case &quot;%1&quot; in the suite &quot;%2&quot;.</source>
        <translation>Als Fall &quot;%1&quot; in der Suite &quot;%2&quot; gespeichert.</translation>
    </message>
    <message>
        <source>Send the key to a new host?</source>
        <translation>Schlüssel an einen neuen Host senden?</translation>
    </message>
    <message>
        <source>The stored key %1 has been sent only to %2.

Provider &quot;%3&quot; would now send it to %4. If you did not change this provider&apos;s address yourself, the workspace may be trying to collect your key.</source>
        <translation>Der gespeicherte Schlüssel %1 wurde bisher nur an %2 gesendet.

Der Anbieter &quot;%3&quot; würde ihn jetzt an %4 senden. Wenn Sie die Adresse dieses Anbieters nicht selbst geändert haben, versucht der Arbeitsbereich möglicherweise, Ihren Schlüssel abzugreifen.</translation>
    </message>
    <message>
        <source>Send to %1</source>
        <translation>An %1 senden</translation>
    </message>
    <message>
        <source>Run not started: the key %1 was not sent to %2.</source>
        <translation>Lauf nicht gestartet: Der Schlüssel %1 wurde nicht an %2 gesendet.</translation>
    </message>
    <message>
        <source>&amp;New Suite</source>
        <translation>&amp;Neue Suite</translation>
    </message>
    <message>
        <source>&amp;Open Suite…</source>
        <translation>Suite ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>Open &amp;Recent Suite</source>
        <translation>&amp;Zuletzt verwendete Suite öffnen</translation>
    </message>
    <message>
        <source>&amp;Save Suite</source>
        <translation>Suite &amp;speichern</translation>
    </message>
    <message>
        <source>Save Suite &amp;As…</source>
        <translation>Suite speichern &amp;unter…</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Wiederholen</translation>
    </message>
    <message>
        <source>&amp;Add Case</source>
        <translation>Fall &amp;hinzufügen</translation>
    </message>
    <message>
        <source>D&amp;uplicate Case</source>
        <translation>Fall &amp;duplizieren</translation>
    </message>
    <message>
        <source>Re&amp;move Case</source>
        <translation>Fall &amp;entfernen</translation>
    </message>
    <message>
        <source>Move Case U&amp;p</source>
        <translation>Fall nach &amp;oben</translation>
    </message>
    <message>
        <source>Move Case Do&amp;wn</source>
        <translation>Fall nach &amp;unten</translation>
    </message>
    <message>
        <source>Untitled suite</source>
        <translation>Unbenannte Suite</translation>
    </message>
    <message>
        <source>%1[*] — %2 — Slopscope %3</source>
        <translation>%1[*] — %2 — Slopscope %3</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>%1 geöffnet</translation>
    </message>
    <message>
        <source>The suite cannot be saved yet: %1</source>
        <translation>Die Suite kann noch nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 gespeichert</translation>
    </message>
    <message>
        <source>Cannot save the suite</source>
        <translation>Die Suite kann nicht gespeichert werden</translation>
    </message>
    <message>
        <source>Save Suite As</source>
        <translation>Suite speichern unter</translation>
    </message>
    <message>
        <source>Slopscope suites (*.json)</source>
        <translation>Slopscope-Suites (*.json)</translation>
    </message>
    <message>
        <source>Unsaved suite</source>
        <translation>Nicht gespeicherte Suite</translation>
    </message>
    <message>
        <source>The suite &quot;%1&quot; has changes that are not saved. Save them?</source>
        <translation>Die Suite &quot;%1&quot; enthält nicht gespeicherte Änderungen. Speichern?</translation>
    </message>
    <message>
        <source>&amp;%1 %2</source>
        <translation>&amp;%1 %2</translation>
    </message>
    <message>
        <source>No recent suites</source>
        <translation>Keine zuletzt verwendeten Suites</translation>
    </message>
    <message>
        <source>%1 no longer exists; it was removed from the recent suites.</source>
        <translation>%1 existiert nicht mehr; es wurde aus den zuletzt verwendeten Suites entfernt.</translation>
    </message>
    <message>
        <source>Disa&amp;greements</source>
        <translation>Abweichun&amp;gen</translation>
    </message>
    <message>
        <source>Disagreements between the answers</source>
        <translation>Abweichungen zwischen den Antworten</translation>
    </message>
    <message>
        <source>&amp;Drift…</source>
        <translation>&amp;Drift…</translation>
    </message>
    <message>
        <source>One target&apos;s quality, speed and cost across the recorded runs</source>
        <translation>Qualität, Geschwindigkeit und Kosten eines Ziels über die aufgezeichneten Läufe</translation>
    </message>
    <message>
        <source>Blind &amp;Arena…</source>
        <translation>Blind-&amp;Arena…</translation>
    </message>
    <message>
        <source>Compare two anonymous answers at a time and rank the targets by your votes (Ctrl+Shift+A)</source>
        <translation>Je zwei anonyme Antworten vergleichen und die Ziele nach Ihren Stimmen ordnen (Strg+Umschalt+A)</translation>
    </message>
    <message>
        <source>The arena opens once the run has ended.</source>
        <translation>Die Arena öffnet sich, sobald der Lauf beendet ist.</translation>
    </message>
    <message>
        <source>No finished run to vote on: run a suite, or open one from File ▸ History.</source>
        <translation>Kein abgeschlossener Lauf zum Abstimmen: Führen Sie eine Suite aus oder öffnen Sie einen über Datei ▸ Verlauf.</translation>
    </message>
    <message>
        <source>Blind Arena (votes kept until closed: this run is not recorded)</source>
        <translation>Blinde Arena (Stimmen bleiben bis zum Schließen erhalten: dieser Lauf wird nicht aufgezeichnet)</translation>
    </message>
    <message>
        <source>The workspace changed since Preferences opened; close and reopen it to edit the current one.</source>
        <translation>Der Arbeitsbereich hat sich seit dem Öffnen der Einstellungen geändert; schließen und öffnen Sie sie erneut, um den aktuellen zu bearbeiten.</translation>
    </message>
    <message>
        <source>Edit providers and targets</source>
        <translation>Anbieter und Ziele bearbeiten</translation>
    </message>
    <message>
        <source>Save Wor&amp;kspace</source>
        <translation>Arbeitsbereich &amp;speichern</translation>
    </message>
    <message>
        <source>Save Workspace As…</source>
        <translation>Arbeitsbereich speichern unter…</translation>
    </message>
    <message>
        <source>Stop the run before changing providers or targets.</source>
        <translation>Stoppen Sie den Lauf, bevor Sie Anbieter oder Ziele ändern.</translation>
    </message>
    <message>
        <source>%1 (Undo takes it back).</source>
        <translation>%1 (Rückgängig macht es rückgängig).</translation>
    </message>
    <message>
        <source>A run is going: providers and targets can be edited when it ends.</source>
        <translation>Ein Lauf ist aktiv: Anbieter und Ziele können nach seinem Ende bearbeitet werden.</translation>
    </message>
    <message>
        <source>Saved the workspace to %1.</source>
        <translation>Arbeitsbereich in %1 gespeichert.</translation>
    </message>
    <message>
        <source>Cannot save the workspace</source>
        <translation>Arbeitsbereich kann nicht gespeichert werden</translation>
    </message>
    <message>
        <source>workspace</source>
        <translation>Arbeitsbereich</translation>
    </message>
    <message>
        <source>Save Workspace As</source>
        <translation>Arbeitsbereich speichern unter</translation>
    </message>
    <message>
        <source>Unsaved workspace</source>
        <translation>Ungespeicherter Arbeitsbereich</translation>
    </message>
    <message>
        <source>The workspace &quot;%1&quot; has changes that are not saved. Save them?</source>
        <translation>Der Arbeitsbereich „%1“ hat nicht gespeicherte Änderungen. Speichern?</translation>
    </message>
    <message>
        <source>%1. No new cell is sent until they are saved.</source>
        <translation>%1. Es wird keine neue Zelle gesendet, bis sie gespeichert sind.</translation>
    </message>
    <message>
        <source>%1. No new cell is sent until they are saved. %2</source>
        <translation>%1. Es wird keine neue Zelle gesendet, bis sie gespeichert sind. %2</translation>
    </message>
    <message>
        <source>Answer whether to continue without history first.</source>
        <translation>Beantworten Sie zuerst, ob ohne Verlauf fortgefahren werden soll.</translation>
    </message>
    <message>
        <source>History Unavailable</source>
        <translation>Verlauf nicht verfügbar</translation>
    </message>
    <message>
        <source>The run history cannot be saved: %1

Without it, results are lost when Slopscope closes. Make the folder writable and start again, or continue without history for this session.</source>
        <translation>Der Laufverlauf kann nicht gespeichert werden: %1

Ohne ihn gehen die Ergebnisse verloren, wenn Slopscope geschlossen wird. Machen Sie den Ordner beschreibbar und starten Sie neu, oder fahren Sie in dieser Sitzung ohne Verlauf fort.</translation>
    </message>
    <message>
        <source>&amp;Continue Without History</source>
        <translation>Ohne Verlauf &amp;fortfahren</translation>
    </message>
    <message>
        <source>No history: results of this session are not saved.</source>
        <translation>Kein Verlauf: Ergebnisse dieser Sitzung werden nicht gespeichert.</translation>
    </message>
    <message>
        <source>Re&amp;do</source>
        <translation>&amp;Wiederholen</translation>
    </message>
    <message>
        <source>&amp;Undo %1</source>
        <translation>%1 &amp;rückgängig machen</translation>
    </message>
    <message>
        <source>Re&amp;do %1</source>
        <translation>%1 &amp;wiederholen</translation>
    </message>
    <message>
        <source>no cap</source>
        <translation>kein Limit</translation>
    </message>
    <message>
        <source>Spend cap</source>
        <translation>Ausgabenlimit</translation>
    </message>
    <message>
        <source>Stop a run or a quick-compare chat once it has cost this much (0: no cap).</source>
        <translation>Einen Lauf oder einen Schnellvergleich-Chat stoppen, sobald er so viel gekostet hat (0: kein Limit).</translation>
    </message>
    <message>
        <source>  Spend &amp;cap </source>
        <translation>  Ausgaben&amp;limit </translation>
    </message>
    <message>
        <source>Retry &amp;Broken-Off Answers</source>
        <translation>Abge&amp;brochene Antworten wiederholen</translation>
    </message>
    <message>
        <source>Send again an answer whose stream broke off; the new answer replaces the partial one, and both are paid for.</source>
        <translation>Eine Antwort, deren Stream abbrach, erneut senden; die neue Antwort ersetzt die unvollständige, und beide werden bezahlt.</translation>
    </message>
    <message>
        <source>Cannot open the run in the arena: %1</source>
        <translation>Der Lauf kann nicht in der Arena geöffnet werden: %1</translation>
    </message>
    <message>
        <source>Key over Plain HTTP</source>
        <translation>Schlüssel über unverschlüsseltes HTTP</translation>
    </message>
    <message>
        <source>Send the key over plain HTTP to %1?</source>
        <translation>Den Schlüssel über unverschlüsseltes HTTP an %1 senden?</translation>
    </message>
    <message>
        <source>Provider &quot;%1&quot; has an http:// address, so its key would cross the network unencrypted: anyone on the way can read it. Allow this only on a network you trust (a server on your LAN, for example).</source>
        <translation>Anbieter &quot;%1&quot; hat eine http://-Adresse, sein Schlüssel würde also unverschlüsselt über das Netzwerk gehen: Jeder auf dem Weg kann ihn lesen. Erlauben Sie dies nur in einem vertrauenswürdigen Netzwerk (z. B. für einen Server in Ihrem LAN).</translation>
    </message>
    <message>
        <source>Allow &amp;Once</source>
        <translation>&amp;Einmal erlauben</translation>
    </message>
    <message>
        <source>&amp;Always for This Host</source>
        <translation>&amp;Immer für diesen Host</translation>
    </message>
    <message>
        <source>The key is not sent over plain HTTP to %1: those cells are refused.</source>
        <translation>Der Schlüssel wird nicht über unverschlüsseltes HTTP an %1 gesendet: diese Zellen werden abgelehnt.</translation>
    </message>
    <message>
        <source>Proxy credentials kept for this session. Run again to send the requests the proxy refused.</source>
        <translation>Proxy-Anmeldedaten für diese Sitzung gespeichert. Starten Sie erneut einen Lauf, um die vom Proxy abgelehnten Anfragen zu senden.</translation>
    </message>
</context>
<context>
    <name>Slopscope::MessagesEditor</name>
    <message>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <source>Content</source>
        <translation>Inhalt</translation>
    </message>
    <message>
        <source>Add message</source>
        <translation>Nachricht hinzufügen</translation>
    </message>
    <message>
        <source>Remove message</source>
        <translation>Nachricht entfernen</translation>
    </message>
</context>
<context>
    <name>Slopscope::NWayDiffView</name>
    <message>
        <source>&amp;Case</source>
        <translation>&amp;Fall</translation>
    </message>
    <message>
        <source>Case to compare</source>
        <translation>Zu vergleichender Fall</translation>
    </message>
    <message>
        <source>Disputed facts</source>
        <translation>Strittige Angaben</translation>
    </message>
    <message>
        <source>%1 (no answer yet)</source>
        <translation>%1 (noch keine Antwort)</translation>
    </message>
    <message>
        <source>Answer of %1</source>
        <translation>Antwort von %1</translation>
    </message>
    <message>
        <source>No results to compare yet.</source>
        <translation>Noch keine Ergebnisse zum Vergleichen.</translation>
    </message>
    <message>
        <source>No disputed numbers, dates or names.</source>
        <translation>Keine strittigen Zahlen, Daten oder Namen.</translation>
    </message>
    <message numerus="yes">
        <source>%n disputed fact(s), highlighted in orange; agreed ones are underlined.</source>
        <translation>
            <numerusform>%n strittige Angabe, orange hervorgehoben; übereinstimmende sind unterstrichen.</numerusform>
            <numerusform>%n strittige Angaben, orange hervorgehoben; übereinstimmende sind unterstrichen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing disputed in this answer.</source>
        <translation>Keine strittigen Angaben in dieser Antwort.</translation>
    </message>
    <message>
        <source>Disputed here: %1</source>
        <translation>Hier strittig: %1</translation>
    </message>
    <message>
        <source>Comparing…</source>
        <translation>Wird verglichen…</translation>
    </message>
</context>
<context>
    <name>Slopscope::PlainHttpHostsBox</name>
    <message>
        <source>Keys over plain HTTP</source>
        <translation>Schlüssel über unverschlüsseltes HTTP</translation>
    </message>
    <message>
        <source>Hosts you allowed to receive a key without TLS (http://). Anyone on the network path can read a key sent to them. Revoke a host to be asked again.</source>
        <translation>Hosts, denen Sie erlaubt haben, einen Schlüssel ohne TLS (http://) zu empfangen. Jeder auf dem Netzwerkpfad kann einen an sie gesendeten Schlüssel lesen. Widerrufen Sie einen Host, um erneut gefragt zu werden.</translation>
    </message>
    <message>
        <source>Hosts allowed to receive a key over plain HTTP</source>
        <translation>Hosts, die einen Schlüssel über unverschlüsseltes HTTP empfangen dürfen</translation>
    </message>
    <message>
        <source>Re&amp;voke</source>
        <translation>&amp;Widerrufen</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
</context>
<context>
    <name>Slopscope::ProviderSettingsForm</name>
    <message>
        <source>Base &amp;URL:</source>
        <translation>Basis-&amp;URL:</translation>
    </message>
    <message>
        <source>Answered by the embedded simulator: its address is chosen when a run starts.</source>
        <translation>Vom eingebetteten Simulator beantwortet: Seine Adresse wird beim Start eines Laufs gewählt.</translation>
    </message>
    <message>
        <source>Max &amp;concurrent requests:</source>
        <translation>Max. &amp;gleichzeitige Anfragen:</translation>
    </message>
    <message>
        <source>Max &amp;retries:</source>
        <translation>Max. &amp;Wiederholungen:</translation>
    </message>
    <message>
        <source>Follow the environment</source>
        <translation>Der Umgebung folgen</translation>
    </message>
    <message>
        <source>None (direct)</source>
        <translation>Keiner (direkt)</translation>
    </message>
    <message>
        <source>This proxy:</source>
        <translation>Dieser Proxy:</translation>
    </message>
    <message>
        <source>Pro&amp;xy:</source>
        <translation>Pro&amp;xy:</translation>
    </message>
    <message>
        <source>Allow the key over plain &amp;HTTP</source>
        <translation>Schlüssel über einfaches &amp;HTTP erlauben</translation>
    </message>
    <message>
        <source>Send the key even when the address is http:// and not this computer. Anyone on the network between can read it.</source>
        <translation>Den Schlüssel auch senden, wenn die Adresse http:// ist und nicht dieser Computer. Jeder im Netzwerk dazwischen kann ihn lesen.</translation>
    </message>
    <message>
        <source>Timeouts</source>
        <translation>Zeitlimits</translation>
    </message>
    <message>
        <source>Connect:</source>
        <translation>Verbindung:</translation>
    </message>
    <message>
        <source>First byte:</source>
        <translation>Erstes Byte:</translation>
    </message>
    <message>
        <source>First token:</source>
        <translation>Erstes Token:</translation>
    </message>
    <message>
        <source>Idle:</source>
        <translation>Leerlauf:</translation>
    </message>
    <message>
        <source>Content idle:</source>
        <translation>Inhalt-Leerlauf:</translation>
    </message>
    <message>
        <source>Total:</source>
        <translation>Gesamt:</translation>
    </message>
    <message>
        <source>%1.proxy: enter the proxy&apos;s URL, or choose another proxy setting</source>
        <translation>%1.proxy: Geben Sie die URL des Proxys ein oder wählen Sie eine andere Proxy-Einstellung</translation>
    </message>
    <message>
        <source>Targets name their provider by this id; renaming it renames it in them too.</source>
        <translation>Ziele benennen ihren Anbieter mit dieser ID; eine Umbenennung wird auch dort übernommen.</translation>
    </message>
    <message>
        <source>&amp;Id:</source>
        <translation>&amp;ID:</translation>
    </message>
    <message>
        <source>OpenAI Chat Completions (and compatible servers)</source>
        <translation>OpenAI Chat Completions (und kompatible Server)</translation>
    </message>
    <message>
        <source>OpenAI Responses</source>
        <translation>OpenAI Responses</translation>
    </message>
    <message>
        <source>Anthropic Messages</source>
        <translation>Anthropic Messages</translation>
    </message>
    <message>
        <source>Google Gemini</source>
        <translation>Google Gemini</translation>
    </message>
    <message>
        <source>Ollama</source>
        <translation>Ollama</translation>
    </message>
    <message>
        <source>&amp;Dialect:</source>
        <translation>&amp;Dialekt:</translation>
    </message>
    <message>
        <source>none (a local server)</source>
        <translation>keiner (ein lokaler Server)</translation>
    </message>
    <message>
        <source>The name the key is kept under: a keychain entry (Settings ▸ Keys) or an environment variable. The key itself is never written to the workspace.</source>
        <translation>Der Name, unter dem der Schlüssel abgelegt ist: ein Schlüsselbund-Eintrag (Einstellungen ▸ Schlüssel) oder eine Umgebungsvariable. Der Schlüssel selbst wird nie in den Arbeitsbereich geschrieben.</translation>
    </message>
    <message>
        <source>API &amp;key name:</source>
        <translation>Name des API-&amp;Schlüssels:</translation>
    </message>
    <message>
        <source>Provider %1</source>
        <translation>Anbieter %1</translation>
    </message>
    <message>
        <source>Headers</source>
        <translation>Header</translation>
    </message>
    <message>
        <source>Sent with every request, and written to the workspace as they are:</source>
        <translation>Werden mit jeder Anfrage gesendet und unverändert in den Arbeitsbereich geschrieben:</translation>
    </message>
    <message>
        <source>Header</source>
        <translation>Header</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Add header</source>
        <translation>Header hinzufügen</translation>
    </message>
    <message>
        <source>Remove header</source>
        <translation>Header entfernen</translation>
    </message>
    <message>
        <source>Secret headers: their values are kept in the keychain (Settings ▸ Keys) or an environment variable under the name given here, and are never shown or written to the workspace.</source>
        <translation>Geheime Header: Ihre Werte liegen im Schlüsselbund (Einstellungen ▸ Schlüssel) oder in einer Umgebungsvariable unter dem hier angegebenen Namen und werden nie angezeigt oder in den Arbeitsbereich geschrieben.</translation>
    </message>
    <message>
        <source>Keychain entry or variable</source>
        <translation>Schlüsselbund-Eintrag oder Variable</translation>
    </message>
    <message>
        <source>Secret headers</source>
        <translation>Geheime Header</translation>
    </message>
    <message>
        <source>Add secret header</source>
        <translation>Geheimen Header hinzufügen</translation>
    </message>
    <message>
        <source>Remove secret header</source>
        <translation>Geheimen Header entfernen</translation>
    </message>
    <message>
        <source>Certificate authorities</source>
        <translation>Zertifizierungsstellen</translation>
    </message>
    <message>
        <source>A PEM file of extra authorities to trust for this provider, besides the system&apos;s (a company proxy&apos;s or a private server&apos;s).</source>
        <translation>Eine PEM-Datei mit zusätzlichen Zertifizierungsstellen, denen für diesen Anbieter neben denen des Systems vertraut wird (z. B. die eines Firmen-Proxys oder privaten Servers).</translation>
    </message>
    <message>
        <source>none: only the system&apos;s authorities</source>
        <translation>keine: nur die Zertifizierungsstellen des Systems</translation>
    </message>
    <message>
        <source>CA certificate file</source>
        <translation>CA-Zertifikatsdatei</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Durchsuchen…</translation>
    </message>
    <message>
        <source>Certificate Authorities</source>
        <translation>Zertifizierungsstellen</translation>
    </message>
    <message>
        <source>PEM certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>PEM-Zertifikate (*.pem *.crt *.cer);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>%1.headers: %2</source>
        <translation>%1.headers: %2</translation>
    </message>
    <message>
        <source>%1.ca_file: %2</source>
        <translation>%1.ca_file: %2</translation>
    </message>
    <message>
        <source>enter the file&apos;s full path</source>
        <translation>geben Sie den vollständigen Pfad der Datei ein</translation>
    </message>
    <message>
        <source>Not trusted: %1.</source>
        <translation>Nicht vertrauenswürdig: %1.</translation>
    </message>
    <message numerus="yes">
        <source>Trusted: %n certificate(s), the first “%1”, valid until %2.</source>
        <translation>
            <numerusform>Vertrauenswürdig: %n Zertifikat, “%1”, gültig bis %2.</numerusform>
            <numerusform>Vertrauenswürdig: %n Zertifikate, das erste “%1”, gültig bis %2.</numerusform>
        </translation>
    </message>
    <message>
        <source>Loaded.</source>
        <translation>Geladen.</translation>
    </message>
    <message>
        <source>A provider needs an id.</source>
        <translation>Ein Anbieter braucht eine ID.</translation>
    </message>
    <message>
        <source>Another provider already has the id “%1”.</source>
        <translation>Ein anderer Anbieter hat bereits die ID “%1”.</translation>
    </message>
    <message>
        <source>Enter an http:// or https:// address, such as https://api.example.com/v1.</source>
        <translation>Geben Sie eine http://- oder https://-Adresse ein, etwa https://api.example.com/v1.</translation>
    </message>
</context>
<context>
    <name>Slopscope::ProviderStatusBoard</name>
    <message>
        <source>rate-limited</source>
        <translation>ratenbegrenzt</translation>
    </message>
    <message>
        <source>%1: %2, resuming now</source>
        <translation>%1: %2, wird jetzt fortgesetzt</translation>
    </message>
    <message>
        <source>%1: %2, resuming in %3</source>
        <translation>%1: %2, Fortsetzung in %3</translation>
    </message>
    <message>
        <source>%1: stopped — %2</source>
        <translation>%1: angehalten — %2</translation>
    </message>
    <message>
        <source>%1: offline — waiting for the network</source>
        <translation>%1: offline — warte auf das Netzwerk</translation>
    </message>
</context>
<context>
    <name>Slopscope::ProviderStatusStrip</name>
    <message>
        <source>Provider status</source>
        <translation>Anbieterstatus</translation>
    </message>
</context>
<context>
    <name>Slopscope::ProvidersSettingsPage</name>
    <message>
        <source>Providers</source>
        <translation>Anbieter</translation>
    </message>
    <message>
        <source>Targets</source>
        <translation>Ziele</translation>
    </message>
    <message>
        <source>Select a provider or a target.</source>
        <translation>Wählen Sie einen Anbieter oder ein Ziel.</translation>
    </message>
    <message>
        <source>Providers and targets</source>
        <translation>Anbieter und Ziele</translation>
    </message>
    <message>
        <source>&amp;Add Provider</source>
        <translation>Anbieter &amp;hinzufügen</translation>
    </message>
    <message>
        <source>Other OpenAI-compatible server (blank)</source>
        <translation>Anderer OpenAI-kompatibler Server (leer)</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <source>Remove the selected provider</source>
        <translation>Den ausgewählten Anbieter entfernen</translation>
    </message>
    <message>
        <source>Remove Provider</source>
        <translation>Anbieter entfernen</translation>
    </message>
    <message>
        <source>%1

Remove these targets together with provider &quot;%2&quot;?</source>
        <translation>%1

Diese Ziele zusammen mit Anbieter &quot;%2&quot; entfernen?</translation>
    </message>
    <message>
        <source>Remove All</source>
        <translation>Alle entfernen</translation>
    </message>
    <message numerus="yes">
        <source>Provider &quot;%1&quot; is used by %n target(s): %2.</source>
        <translation>
            <numerusform>Anbieter &quot;%1&quot; wird von %n Ziel verwendet: %2.</numerusform>
            <numerusform>Anbieter &quot;%1&quot; wird von %n Zielen verwendet: %2.</numerusform>
        </translation>
    </message>
    <message>
        <source>Not removed. %1</source>
        <translation>Nicht entfernt. %1</translation>
    </message>
    <message numerus="yes">
        <source>Removed provider &quot;%1&quot; and %n target(s) with it.</source>
        <translation>
            <numerusform>Anbieter &quot;%1&quot; samt %n Ziel entfernt.</numerusform>
            <numerusform>Anbieter &quot;%1&quot; samt %n Zielen entfernt.</numerusform>
        </translation>
    </message>
    <message>
        <source>Removed provider &quot;%1&quot;.</source>
        <translation>Anbieter &quot;%1&quot; entfernt.</translation>
    </message>
    <message>
        <source>%1.id: duplicate provider id &quot;%2&quot;</source>
        <translation>%1.id: doppelte Anbieter-ID &quot;%2&quot;</translation>
    </message>
    <message>
        <source>e.g. .corp.example, 10.0.0.0/8, gpu-box:11434</source>
        <translation>z. B. .corp.example, 10.0.0.0/8, gpu-box:11434</translation>
    </message>
    <message>
        <source>Hosts that never go through the proxy, besides those in no_proxy: names, .suffixes, IP addresses, CIDR blocks, host:port, or * for all. Comma-separated. This computer always goes direct.</source>
        <translation>Hosts, die nie über den Proxy gehen, zusätzlich zu denen in no_proxy: Namen, .Suffixe, IP-Adressen, CIDR-Blöcke, host:port oder * für alle. Durch Kommas getrennt. Dieser Computer geht immer direkt.</translation>
    </message>
    <message>
        <source>Hosts that bypass the proxy</source>
        <translation>Hosts, die den Proxy umgehen</translation>
    </message>
    <message>
        <source>&amp;Bypass the proxy for:</source>
        <translation>Proxy &amp;umgehen für:</translation>
    </message>
</context>
<context>
    <name>Slopscope::ProxyCredentialsDialog</name>
    <message>
        <source>Proxy Authentication</source>
        <translation>Proxy-Authentifizierung</translation>
    </message>
    <message>
        <source>The proxy refused these credentials for the requests to %1. Enter them again.</source>
        <translation>Der Proxy hat diese Anmeldedaten für die Anfragen an %1 abgelehnt. Geben Sie sie erneut ein.</translation>
    </message>
    <message>
        <source>The proxy asks for a user name and password before it forwards the requests to %1.</source>
        <translation>Der Proxy verlangt einen Benutzernamen und ein Passwort, bevor er die Anfragen an %1 weiterleitet.</translation>
    </message>
    <message>
        <source>Proxy user name</source>
        <translation>Proxy-Benutzername</translation>
    </message>
    <message>
        <source>Proxy password</source>
        <translation>Proxy-Passwort</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>&amp;Benutzername:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Passwort:</translation>
    </message>
    <message>
        <source>Kept in memory until Slopscope quits; never saved. Run again (or retry the failed cells) to send the requests with them.</source>
        <translation>Im Speicher gehalten, bis Slopscope beendet wird; nie gespeichert. Starten Sie erneut einen Lauf (oder wiederholen Sie die fehlgeschlagenen Zellen), um die Anfragen damit zu senden.</translation>
    </message>
    <message>
        <source>&amp;Use</source>
        <translation>&amp;Verwenden</translation>
    </message>
</context>
<context>
    <name>Slopscope::ProxyRules</name>
    <message>
        <source>%1: &quot;%2&quot; is not a proxy URL (expected http://host:port)</source>
        <translation>%1: &quot;%2&quot; ist keine Proxy-URL (erwartet: http://host:port)</translation>
    </message>
    <message>
        <source>%1: %2: a proxy reached over TLS (https://) is not supported; use http://, the connection to the provider is still encrypted end to end</source>
        <translation>%1: %2: Ein über TLS (https://) erreichter Proxy wird nicht unterstützt; verwenden Sie http://, die Verbindung zum Anbieter bleibt trotzdem Ende-zu-Ende-verschlüsselt</translation>
    </message>
    <message>
        <source>%1: %2: unsupported proxy scheme &quot;%3&quot; (expected http:// or socks5://)</source>
        <translation>%1: %2: Nicht unterstütztes Proxy-Schema &quot;%3&quot; (erwartet: http:// oder socks5://)</translation>
    </message>
    <message>
        <source>%1: %2: a proxy URL has no path</source>
        <translation>%1: %2: Eine Proxy-URL hat keinen Pfad</translation>
    </message>
    <message>
        <source>%1: proxy credentials are secrets and are not read from workspace files; set them in https_proxy (http://user:password@host:port)</source>
        <translation>%1: Proxy-Zugangsdaten sind Geheimnisse und werden nicht aus Arbeitsbereichsdateien gelesen; setzen Sie sie in https_proxy (http://user:password@host:port)</translation>
    </message>
    <message>
        <source>direct</source>
        <translation>direkt</translation>
    </message>
    <message>
        <source>via %1://%2:%3</source>
        <translation>über %1://%2:%3</translation>
    </message>
</context>
<context>
    <name>Slopscope::QuadrantChart</name>
    <message>
        <source>Price · speed · quality</source>
        <translation>Preis · Geschwindigkeit · Qualität</translation>
    </message>
    <message>
        <source>Cost per 1,000 cases (USD, log scale)</source>
        <translation>Kosten pro 1.000 Fälle (USD, logarithmische Skala)</translation>
    </message>
    <message>
        <source>Blended price per million tokens (USD, log scale)</source>
        <translation>Gemischter Preis pro Million Tokens (USD, logarithmische Skala)</translation>
    </message>
    <message>
        <source>Median time to first token (ms)</source>
        <translation>Median der Zeit bis zum ersten Token (ms)</translation>
    </message>
    <message>
        <source>Decode speed (tokens/s)</source>
        <translation>Dekodiergeschwindigkeit (Tokens/s)</translation>
    </message>
    <message>
        <source>95th percentile latency (ms)</source>
        <translation>Latenz, 95. Perzentil (ms)</translation>
    </message>
    <message>
        <source>cheap &amp; good</source>
        <translation>günstig &amp; gut</translation>
    </message>
    <message>
        <source>expensive &amp; good</source>
        <translation>teuer &amp; gut</translation>
    </message>
    <message>
        <source>fast &amp; good</source>
        <translation>schnell &amp; gut</translation>
    </message>
    <message>
        <source>slow &amp; good</source>
        <translation>langsam &amp; gut</translation>
    </message>
    <message>
        <source>cheap &amp; weak</source>
        <translation>günstig &amp; schwach</translation>
    </message>
    <message>
        <source>expensive &amp; weak</source>
        <translation>teuer &amp; schwach</translation>
    </message>
    <message>
        <source>fast &amp; weak</source>
        <translation>schnell &amp; schwach</translation>
    </message>
    <message>
        <source>slow &amp; weak</source>
        <translation>langsam &amp; schwach</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source> (95% interval %1–%2%)</source>
        <translation> (95-%-Intervall %1–%2%)</translation>
    </message>
    <message>
        <source>%1
quality %2, n = %3
cost per 1,000 cases $%4
blended $%5 / Mtok
TTFT p50 %6 ms · p95 latency %7 ms
decode %8 tokens/s</source>
        <translation>%1
Qualität %2, n = %3
Kosten pro 1.000 Fälle $%4
gemischt $%5 / Mtok
TTFT p50 %6 ms · Latenz p95 %7 ms
Dekodierung %8 Tokens/s</translation>
    </message>
    <message>
        <source>Quality (%)</source>
        <translation>Qualität (%)</translation>
    </message>
    <message>
        <source>Pareto frontier</source>
        <translation>Pareto-Front</translation>
    </message>
    <message>
        <source>Slopscope quadrant</source>
        <translation>Slopscope-Quadrantendiagramm</translation>
    </message>
    <message>
        <source>Unknown chart format &quot;%1&quot;: use .png, .svg or .pdf</source>
        <translation>Unbekanntes Diagrammformat &quot;%1&quot;: Verwenden Sie .png, .svg oder .pdf</translation>
    </message>
    <message>
        <source>Cannot write %1</source>
        <translation>%1 kann nicht geschrieben werden</translation>
    </message>
    <message>
        <source>Policy %1
%2
quality %3% (95% interval %4–%5%), n = %6
cost per 1,000 cases $%7
p95 latency %8 ms
escalated %9%</source>
        <translation>Richtlinie %1
%2
Qualität %3% (95-%-Intervall %4–%5%), n = %6
Kosten pro 1.000 Fälle $%7
Latenz p95 %8 ms
eskaliert %9%</translation>
    </message>
</context>
<context>
    <name>Slopscope::QuadrantControls</name>
    <message>
        <source> /Mtok</source>
        <translation> /Mtok</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source> tok/s</source>
        <translation> tok/s</translation>
    </message>
    <message>
        <source>Cost per 1,000 cases</source>
        <translation>Kosten pro 1.000 Fälle</translation>
    </message>
    <message>
        <source>Blended $/Mtok</source>
        <translation>Gemischter Preis $/Mtok</translation>
    </message>
    <message>
        <source>Median TTFT</source>
        <translation>Median-TTFT</translation>
    </message>
    <message>
        <source>Decode tokens/s</source>
        <translation>Dekodierung Tokens/s</translation>
    </message>
    <message>
        <source>p95 latency</source>
        <translation>Latenz p95</translation>
    </message>
    <message>
        <source>Quadrant x axis</source>
        <translation>x-Achse des Quadrantendiagramms</translation>
    </message>
    <message>
        <source>The figure along the horizontal axis: a price or a speed.</source>
        <translation>Die Kennzahl auf der horizontalen Achse: ein Preis oder eine Geschwindigkeit.</translation>
    </message>
    <message>
        <source>Canonical only</source>
        <translation>Nur kanonisch</translation>
    </message>
    <message>
        <source>Variants only</source>
        <translation>Nur Varianten</translation>
    </message>
    <message>
        <source>Canonical and variants</source>
        <translation>Kanonisch und Varianten</translation>
    </message>
    <message>
        <source>Quadrant quality</source>
        <translation>Qualität im Quadrantendiagramm</translation>
    </message>
    <message>
        <source>Fixed d&amp;ividers</source>
        <translation>Feste &amp;Trennlinien</translation>
    </message>
    <message>
        <source>Split the quadrant at your own thresholds instead of the lineup&apos;s medians.</source>
        <translation>Das Quadrantendiagramm an eigenen Schwellenwerten teilen statt an den Medianen der verglichenen Ziele.</translation>
    </message>
    <message>
        <source>Vertical divider position</source>
        <translation>Position der senkrechten Trennlinie</translation>
    </message>
    <message>
        <source>Where the vertical divider sits, in the x axis&apos;s unit.</source>
        <translation>Wo die senkrechte Trennlinie liegt, in der Einheit der x-Achse.</translation>
    </message>
    <message>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <source>Horizontal divider position</source>
        <translation>Position der waagerechten Trennlinie</translation>
    </message>
    <message>
        <source>The quality at which the horizontal divider sits.</source>
        <translation>Die Qualität, bei der die waagerechte Trennlinie liegt.</translation>
    </message>
    <message>
        <source>&amp;X axis:</source>
        <translation>&amp;X-Achse:</translation>
    </message>
    <message>
        <source>&amp;Quality:</source>
        <translation>&amp;Qualität:</translation>
    </message>
    <message>
        <source>x &amp;at</source>
        <translation>x &amp;bei</translation>
    </message>
    <message>
        <source>q&amp;uality at</source>
        <translation>Q&amp;ualität bei</translation>
    </message>
    <message>
        <source>Quality, variants only (%)</source>
        <translation>Qualität, nur Varianten (%)</translation>
    </message>
    <message>
        <source>Quality, canonical and variants (%)</source>
        <translation>Qualität, kanonisch und Varianten (%)</translation>
    </message>
    <message>
        <source>Quality, canonical only (%)</source>
        <translation>Qualität, nur kanonisch (%)</translation>
    </message>
    <message>
        <source>Within time budget</source>
        <translation>Innerhalb des Zeitbudgets</translation>
    </message>
    <message>
        <source>Which answers the quality counts: the suite&apos;s own wording, only the rewordings (run with Variants checked), or both; or the suite&apos;s own wording with an answer later than its case&apos;s time budget (the suite&apos;s time_budget_ms) counted as a failure.</source>
        <translation>Welche Antworten in die Qualität einfließen: der Originalwortlaut der Suite, nur die Umformulierungen (Lauf mit aktivierten Varianten) oder beides; oder der Originalwortlaut der Suite, wobei eine Antwort nach dem Zeitbudget ihres Falls (time_budget_ms der Suite) als Fehlschlag zählt.</translation>
    </message>
    <message>
        <source>Quality within budget (%)</source>
        <translation>Qualität im Zeitbudget (%)</translation>
    </message>
</context>
<context>
    <name>Slopscope::QuickCompareSession</name>
    <message>
        <source>the answer was cut off before its end</source>
        <translation>die Antwort wurde vor ihrem Ende abgeschnitten</translation>
    </message>
    <message>
        <source>the provider stopped before the answer was complete</source>
        <translation>der Anbieter hat vor Abschluss der Antwort aufgehört</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>gestoppt</translation>
    </message>
    <message>
        <source>the request failed</source>
        <translation>die Anfrage ist fehlgeschlagen</translation>
    </message>
    <message>
        <source>The last prompt is still being answered: wait for it or stop it first.</source>
        <translation>Der letzte Prompt wird noch beantwortet: Warten Sie darauf oder stoppen Sie ihn zuerst.</translation>
    </message>
    <message>
        <source>Type a prompt first.</source>
        <translation>Geben Sie zuerst einen Prompt ein.</translation>
    </message>
    <message>
        <source>Check at least one target.</source>
        <translation>Markieren Sie mindestens ein Ziel.</translation>
    </message>
    <message>
        <source>Quick compare</source>
        <translation>Schnellvergleich</translation>
    </message>
    <message>
        <source>The workspace has no target &quot;%1&quot;.</source>
        <translation>Der Arbeitsbereich hat kein Ziel &quot;%1&quot;.</translation>
    </message>
    <message>
        <source>There is no exchange %1 in this chat.</source>
        <translation>In diesem Chat gibt es keinen Austausch %1.</translation>
    </message>
    <message>
        <source>The target &quot;%1&quot; did not take part in exchange %2.</source>
        <translation>Das Ziel &quot;%1&quot; war nicht an Austausch %2 beteiligt.</translation>
    </message>
    <message>
        <source>This chat has spent $%1, its spend cap of $%2: raise the cap or start a new chat.</source>
        <translation>Dieser Chat hat $%1 ausgegeben, sein Ausgabenlimit von $%2: Erhöhen Sie das Limit oder starten Sie einen neuen Chat.</translation>
    </message>
    <message>
        <source>stopped: %1</source>
        <translation>gestoppt: %1</translation>
    </message>
</context>
<context>
    <name>Slopscope::QuickCompareView</name>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>New chat: type a prompt below and press Ctrl+Enter.</source>
        <translation>Neuer Chat: Geben Sie unten einen Prompt ein und drücken Sie Ctrl+Enter.</translation>
    </message>
    <message>
        <source>Type a prompt below and press Ctrl+Enter to send it to every checked target.</source>
        <translation>Geben Sie unten einen Prompt ein und drücken Sie Ctrl+Enter, um ihn an jedes markierte Ziel zu senden.</translation>
    </message>
    <message>
        <source>Exchange:</source>
        <translation>Austausch:</translation>
    </message>
    <message>
        <source>Exchange to save</source>
        <translation>Zu speichernder Austausch</translation>
    </message>
    <message>
        <source>as seen by</source>
        <translation>aus Sicht von</translation>
    </message>
    <message>
        <source>Target whose conversation is saved</source>
        <translation>Ziel, dessen Konversation gespeichert wird</translation>
    </message>
    <message>
        <source>its answer as reference</source>
        <translation>dessen Antwort als Referenz</translation>
    </message>
    <message>
        <source>Save as Suite Case</source>
        <translation>Als Suite-Fall speichern</translation>
    </message>
    <message>
        <source>Adds this exchange, with the conversation before it, to the selected suite</source>
        <translation>Fügt diesen Austausch samt der vorangehenden Konversation zur ausgewählten Suite hinzu</translation>
    </message>
    <message>
        <source>vs</source>
        <translation>vs.</translation>
    </message>
    <message>
        <source>Target whose answer is diffed</source>
        <translation>Ziel, dessen Antwort verglichen wird</translation>
    </message>
    <message>
        <source>Diff</source>
        <translation>Diff</translation>
    </message>
    <message>
        <source>Shows the two answers to this exchange side by side, the differing words marked</source>
        <translation>Zeigt die beiden Antworten auf diesen Austausch nebeneinander an, abweichende Wörter markiert</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>System-Prompt</translation>
    </message>
    <message>
        <source>Optional: instructions every target gets first (sent with every turn)</source>
        <translation>Optional: Anweisungen, die jedes Ziel zuerst erhält (mit jeder Runde gesendet)</translation>
    </message>
    <message>
        <source>Ask every checked target… (Ctrl+Enter sends)</source>
        <translation>Jedes markierte Ziel fragen… (Ctrl+Enter sendet)</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <source>Attach Text File…</source>
        <translation>Textdatei anhängen…</translation>
    </message>
    <message>
        <source>Plain-text files up to %1, folded into the prompt with their names</source>
        <translation>Klartextdateien bis %1, mit ihren Namen in den Prompt eingefügt</translation>
    </message>
    <message>
        <source>New Chat</source>
        <translation>Neuer Chat</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Stopp</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <source>Send to every checked target (Ctrl+Enter)</source>
        <translation>An jedes markierte Ziel senden (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Attach Text File</source>
        <translation>Textdatei anhängen</translation>
    </message>
    <message>
        <source>Text files (*.txt *.md *.csv *.json *.log *.xml *.yaml *.yml);;All files (*)</source>
        <translation>Textdateien (*.txt *.md *.csv *.json *.log *.xml *.yaml *.yml);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>%1  ✕</source>
        <translation>%1  ✕</translation>
    </message>
    <message>
        <source>Remove %1 from the prompt</source>
        <translation>%1 aus dem Prompt entfernen</translation>
    </message>
    <message>
        <source>▶ You: %1</source>
        <translation>▶ Sie: %1</translation>
    </message>
    <message>
        <source>(attached: %1)</source>
        <translation>(angehängt: %1)</translation>
    </message>
    <message>
        <source>[Not part of the conversation (%1): the next turns were sent to this target without this exchange.]</source>
        <translation>[Nicht Teil der Konversation (%1): Die nächsten Runden wurden ohne diesen Austausch an dieses Ziel gesendet.]</translation>
    </message>
    <message>
        <source>Turn %1: %2</source>
        <translation>Runde %1: %2</translation>
    </message>
    <message numerus="yes">
        <source>Sending turn %1 to %n target(s)…</source>
        <translation>
            <numerusform>Runde %1 wird an %n Ziel gesendet…</numerusform>
            <numerusform>Runde %1 wird an %n Ziele gesendet…</numerusform>
        </translation>
    </message>
    <message>
        <source>attempt %1</source>
        <translation>Versuch %1</translation>
    </message>
    <message>
        <source>[%1 This answer stays out of the conversation: the next turn is sent to this target without this exchange.]</source>
        <translation>[%1 Diese Antwort bleibt außerhalb der Konversation: Die nächste Runde wird ohne diesen Austausch an dieses Ziel gesendet.]</translation>
    </message>
    <message>
        <source>spent $%1 in this chat</source>
        <translation>$%1 in diesem Chat ausgegeben</translation>
    </message>
    <message>
        <source>Turn %1 answered. %2</source>
        <translation>Runde %1 beantwortet. %2</translation>
    </message>
    <message numerus="yes">
        <source>Turn %1: %n answer(s) incomplete. %2</source>
        <translation>
            <numerusform>Runde %1: %n Antwort unvollständig. %2</numerusform>
            <numerusform>Runde %1: %n Antworten unvollständig. %2</numerusform>
        </translation>
    </message>
    <message>
        <source>%1. %2</source>
        <translation>%1. %2</translation>
    </message>
    <message>
        <source>New chat.</source>
        <translation>Neuer Chat.</translation>
    </message>
    <message>
        <source>Stopped: %1; %2</source>
        <translation>Gestoppt: %1; %2</translation>
    </message>
</context>
<context>
    <name>Slopscope::RatedCellDelegate</name>
    <message>
        <source>Rated: %1</source>
        <translation>Eingestuft: %1</translation>
    </message>
    <message>
        <source>Rated: %1 — %2</source>
        <translation>Eingestuft: %1 — %2</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <comment>a matrix cell&apos;s human rating, then its text</comment>
        <translation>%1 %2</translation>
    </message>
</context>
<context>
    <name>Slopscope::RatingBar</name>
    <message>
        <source>Your rating</source>
        <translation>Ihre Einstufung</translation>
    </message>
    <message>
        <source>Your rating:</source>
        <translation>Ihre Einstufung:</translation>
    </message>
    <message>
        <source>Pass</source>
        <translation>Bestanden</translation>
    </message>
    <message>
        <source>The answer passes (key P)</source>
        <translation>Die Antwort besteht (Taste P)</translation>
    </message>
    <message>
        <source>Fail</source>
        <translation>Nicht bestanden</translation>
    </message>
    <message>
        <source>The answer fails (key F)</source>
        <translation>Die Antwort besteht nicht (Taste F)</translation>
    </message>
    <message>
        <source>%1★</source>
        <translation>%1★</translation>
    </message>
    <message numerus="yes">
        <source>%n star(s) of 5 (key %n)</source>
        <translation>
            <numerusform>%n Stern von 5 (Taste %n)</numerusform>
            <numerusform>%n Sterne von 5 (Taste %n)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n star(s)</source>
        <translation>
            <numerusform>%n Stern</numerusform>
            <numerusform>%n Sterne</numerusform>
        </translation>
    </message>
    <message>
        <source>Rating note</source>
        <translation>Notiz zur Einstufung</translation>
    </message>
    <message>
        <source>Note (optional, Enter saves)</source>
        <translation>Notiz (optional, Eingabetaste speichert)</translation>
    </message>
    <message>
        <source>An optional note; Enter saves it with the chosen rating</source>
        <translation>Eine optionale Notiz; die Eingabetaste speichert sie mit der gewählten Einstufung</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <source>Take back the last rating of this answer</source>
        <translation>Die letzte Einstufung dieser Antwort zurücknehmen</translation>
    </message>
    <message>
        <source>How often your pass/fail matches the judge&apos;s on the answers both graded (4 stars and up count as a pass); Cohen&apos;s kappa corrects for chance</source>
        <translation>Wie oft Ihr Bestanden/Nicht bestanden mit dem des Bewerters übereinstimmt, bei den Antworten, die beide beurteilt haben (ab 4 Sternen gilt eine Antwort als bestanden); Cohens Kappa rechnet zufällige Übereinstimmung heraus</translation>
    </message>
    <message>
        <source>Choose Pass, Fail or stars first: the note is saved with them.</source>
        <translation>Wählen Sie zuerst Bestanden, Nicht bestanden oder Sterne: Die Notiz wird damit gespeichert.</translation>
    </message>
</context>
<context>
    <name>Slopscope::RatingBook</name>
    <message>
        <source>pass</source>
        <translation>bestanden</translation>
    </message>
    <message>
        <source>fail</source>
        <translation>nicht bestanden</translation>
    </message>
    <message>
        <source>[★%1]</source>
        <comment>a matrix cell&apos;s human rating in stars</comment>
        <translation>[★%1]</translation>
    </message>
    <message>
        <source>[pass]</source>
        <comment>a matrix cell&apos;s human rating</comment>
        <translation>[bestanden]</translation>
    </message>
    <message>
        <source>[fail]</source>
        <comment>a matrix cell&apos;s human rating</comment>
        <translation>[nicht bestanden]</translation>
    </message>
    <message>
        <source>Ratings could not be read, cells show as unrated: %1</source>
        <translation>Bewertungen konnten nicht gelesen werden, Zellen erscheinen als unbewertet: %1</translation>
    </message>
</context>
<context>
    <name>Slopscope::ResultMatrixModel</name>
    <message>
        <source>completed</source>
        <translation>abgeschlossen</translation>
    </message>
    <message>
        <source>stopped early</source>
        <translation>vorzeitig beendet</translation>
    </message>
    <message>
        <source>truncated</source>
        <translation>abgeschnitten</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>nicht bestanden</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>ausstehend</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>(empty answer)</source>
        <translation>(leere Antwort)</translation>
    </message>
    <message>
        <source>%1 %2/%3 · %4 · %5</source>
        <translation>%1 %2/%3 · %4 · %5</translation>
    </message>
    <message>
        <source>%1 · case %2</source>
        <translation>%1 · Fall %2</translation>
    </message>
    <message>
        <source> · variant %1</source>
        <translation> · Variante %1</translation>
    </message>
    <message>
        <source>Score %1 · %2/%3 passed</source>
        <translation>Punktzahl %1 · %2/%3 bestanden</translation>
    </message>
    <message>
        <source>Repeat %1: score %2</source>
        <translation>Wiederholung %1: Punktzahl %2</translation>
    </message>
    <message>
        <source>  %1: %2</source>
        <translation>  %1: %2</translation>
    </message>
    <message>
        <source>  %1 %2 — %3</source>
        <translation>  %1 %2 — %3</translation>
    </message>
    <message numerus="yes">
        <source>…and %n more repeat(s)</source>
        <translation>
            <numerusform>…und %n weitere Wiederholung</numerusform>
            <numerusform>…und %n weitere Wiederholungen</numerusform>
        </translation>
    </message>
    <message>
        <source>Tags: %1</source>
        <translation>Schlagwörter: %1</translation>
    </message>
    <message>
        <source>No answer yet</source>
        <translation>Noch keine Antwort</translation>
    </message>
    <message>
        <source>%1 ↳ %2</source>
        <translation>%1 ↳ %2</translation>
    </message>
    <message>
        <source>→ %1</source>
        <translation>→ %1</translation>
    </message>
</context>
<context>
    <name>Slopscope::ResultMatrixView</name>
    <message>
        <source>&amp;Failed only</source>
        <translation>Nur fehl&amp;geschlagene</translation>
    </message>
    <message>
        <source>Show only the cases where some answer did not pass</source>
        <translation>Nur die Fälle anzeigen, in denen eine Antwort nicht bestanden hat</translation>
    </message>
    <message>
        <source>&amp;Tag</source>
        <translation>Schlag&amp;wort</translation>
    </message>
    <message>
        <source>Tag filter</source>
        <translation>Schlagwortfilter</translation>
    </message>
    <message>
        <source>&amp;Wording</source>
        <translation>F&amp;ormulierung</translation>
    </message>
    <message>
        <source>Wording filter</source>
        <translation>Formulierungsfilter</translation>
    </message>
    <message>
        <source>Canonical and variants</source>
        <translation>Kanonisch und Varianten</translation>
    </message>
    <message>
        <source>Canonical only</source>
        <translation>Nur kanonisch</translation>
    </message>
    <message>
        <source>Variants only</source>
        <translation>Nur Varianten</translation>
    </message>
    <message>
        <source>Results matrix</source>
        <translation>Ergebnismatrix</translation>
    </message>
    <message>
        <source>All tags</source>
        <translation>Alle Schlagwörter</translation>
    </message>
    <message>
        <source>✓ all passed   ◐ some   ✗ none   … awaiting judge   [pass] [★4] your rating</source>
        <translation>✓ alle bestanden   ◐ einige   ✗ keine   … wartet auf Bewerter   [bestanden] [★4] Ihre Einstufung</translation>
    </message>
    <message>
        <source>No history is recorded: ratings are kept for this session only.</source>
        <translation>Es wird kein Verlauf aufgezeichnet: Einstufungen bleiben nur für diese Sitzung erhalten.</translation>
    </message>
    <message numerus="yes">
        <source>Agreement with the judge: %1% (Cohen&apos;s κ %2) over %n rated answer(s)</source>
        <translation>
            <numerusform>Übereinstimmung mit dem Bewerter: %1&#xa0;% (Cohens κ %2) bei %n eingestuften Antwort</numerusform>
            <numerusform>Übereinstimmung mit dem Bewerter: %1&#xa0;% (Cohens κ %2) bei %n eingestuften Antworten</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Slopscope::RoutingComparisonModel</name>
    <message>
        <source>single target</source>
        <translation>einzelnes Ziel</translation>
    </message>
    <message>
        <source>%1–%2%</source>
        <translation>%1–%2%</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 recorded / %2 oracle</source>
        <translation>%1 aufgezeichnet / %2 Orakel</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keines</translation>
    </message>
    <message>
        <source>%1 answers, %2 verdicts</source>
        <translation>%1 Antworten, %2 Urteile</translation>
    </message>
    <message>
        <source>Select the row to list what is missing below the table.</source>
        <translation>Wählen Sie die Zeile aus, um unter der Tabelle aufzulisten, was fehlt.</translation>
    </message>
    <message>
        <source>On %1 case(s); %2 replay(s) left out for missing data, %3 without a score.</source>
        <translation>Über %1 Fall/Fälle; %2 Wiedergabe(n) wegen fehlender Daten ausgelassen, %3 ohne Punktzahl.</translation>
    </message>
    <message>
        <source>%1 replay(s) of unknown cost: no total is shown rather than a partial one.</source>
        <translation>%1 Wiedergabe(n) mit unbekannten Kosten: Statt einer Teilsumme wird keine Summe gezeigt.</translation>
    </message>
    <message>
        <source>Policy / target</source>
        <translation>Richtlinie / Ziel</translation>
    </message>
    <message>
        <source>Route</source>
        <translation>Route</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>Qualität</translation>
    </message>
    <message>
        <source>95% interval</source>
        <translation>95-%-Intervall</translation>
    </message>
    <message>
        <source>$ / 1,000 cases</source>
        <translation>$ / 1.000 Fälle</translation>
    </message>
    <message>
        <source>p50 latency</source>
        <translation>Latenz p50</translation>
    </message>
    <message>
        <source>p95 latency</source>
        <translation>Latenz p95</translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation>Eskaliert</translation>
    </message>
    <message>
        <source>Verdicts</source>
        <translation>Urteile</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>Fehlend</translation>
    </message>
</context>
<context>
    <name>Slopscope::RoutingDialog</name>
    <message>
        <source>answer   case %1, repeat %2: %3</source>
        <translation>Antwort  Fall %1, Wiederholung %2: %3</translation>
    </message>
    <message>
        <source>verdict  case %1, repeat %2: %3 on %4&apos;s answer</source>
        <translation>Urteil   Fall %1, Wiederholung %2: %3 über die Antwort von %4</translation>
    </message>
    <message>
        <source>Routing Policies</source>
        <translation>Routing-Richtlinien</translation>
    </message>
    <message>
        <source>No finished run to replay yet: run a suite, or open one from File ▸ History.</source>
        <translation>Noch kein abgeschlossener Lauf zum Nachspielen: Führen Sie eine Testsuite aus oder öffnen Sie einen Lauf über Datei ▸ Verlauf.</translation>
    </message>
    <message>
        <source>Policies</source>
        <translation>Richtlinien</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>&amp;Hinzufügen</translation>
    </message>
    <message>
        <source>Cascade</source>
        <translation>Kaskade</translation>
    </message>
    <message>
        <source>By Tag</source>
        <translation>Nach Schlagwort</translation>
    </message>
    <message>
        <source>Best of N</source>
        <translation>Beste von N</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <source>&amp;Load…</source>
        <translation>&amp;Laden…</translation>
    </message>
    <message>
        <source>&amp;Save…</source>
        <translation>&amp;Speichern…</translation>
    </message>
    <message>
        <source>Replace the list with the policies of a policy file (docs/ROUTING.md).</source>
        <translation>Die Liste durch die Richtlinien einer Richtliniendatei ersetzen (docs/ROUTING.md).</translation>
    </message>
    <message>
        <source>Selected policy</source>
        <translation>Ausgewählte Richtlinie</translation>
    </message>
    <message>
        <source>A&amp;pply</source>
        <translation>&amp;Übernehmen</translation>
    </message>
    <message>
        <source>Comparison: every row replayed over the same recorded cells</source>
        <translation>Vergleich: Jede Zeile wird über dieselben aufgezeichneten Zellen nachgespielt</translation>
    </message>
    <message>
        <source>Search the lineup</source>
        <translation>Die Aufstellung durchsuchen</translation>
    </message>
    <message>
        <source>&amp;Find</source>
        <translation>&amp;Suchen</translation>
    </message>
    <message>
        <source>F&amp;ind</source>
        <translation>Su&amp;chen</translation>
    </message>
    <message>
        <source>Cheapest policy with quality at least</source>
        <translation>Günstigste Richtlinie mit einer Qualität von mindestens</translation>
    </message>
    <message>
        <source>Best quality at a cost per 1,000 cases of at most</source>
        <translation>Beste Qualität bei Kosten pro 1.000 Fälle von höchstens</translation>
    </message>
    <message>
        <source>Missing for the selected row</source>
        <translation>Fehlend für die ausgewählte Zeile</translation>
    </message>
    <message>
        <source>Replaying %1: %2 on %3 target(s), %4 recorded cell(s). Nothing is sent.</source>
        <translation>Nachgespielt wird %1: %2 mit %3 Ziel(en), %4 aufgezeichnete Zelle(n). Es wird nichts gesendet.</translation>
    </message>
    <message>
        <source>Select a row of the table.</source>
        <translation>Wählen Sie eine Zeile der Tabelle aus.</translation>
    </message>
    <message>
        <source>%1: nothing missing; every replay is complete.</source>
        <translation>%1: Nichts fehlt; jede Wiedergabe ist vollständig.</translation>
    </message>
    <message>
        <source>policy</source>
        <translation>Richtlinie</translation>
    </message>
    <message>
        <source>cascade</source>
        <translation>Kaskade</translation>
    </message>
    <message>
        <source>by tag</source>
        <translation>nach Schlagwort</translation>
    </message>
    <message>
        <source>best of N</source>
        <translation>beste von N</translation>
    </message>
    <message>
        <source>Added &quot;%1&quot;: edit it and press Apply.</source>
        <translation>„%1“ hinzugefügt: Bearbeiten Sie sie und klicken Sie auf Übernehmen.</translation>
    </message>
    <message>
        <source>Another policy is already called &quot;%1&quot;.</source>
        <translation>Eine andere Richtlinie heißt bereits „%1“.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; replayed.</source>
        <translation>„%1“ nachgespielt.</translation>
    </message>
    <message>
        <source>Cannot load the policies: %1</source>
        <translation>Die Richtlinien können nicht geladen werden: %1</translation>
    </message>
    <message>
        <source>Cannot save the policies: %1</source>
        <translation>Die Richtlinien können nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>Load Routing Policies</source>
        <translation>Routing-Richtlinien laden</translation>
    </message>
    <message>
        <source>Routing policies (*.json);;All files (*)</source>
        <translation>Routing-Richtlinien (*.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Save Routing Policies</source>
        <translation>Routing-Richtlinien speichern</translation>
    </message>
    <message>
        <source>Routing policies (*.json)</source>
        <translation>Routing-Richtlinien (*.json)</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Suche läuft…</translation>
    </message>
    <message>
        <source>The run changed during the search: ask again.</source>
        <translation>Der Lauf hat sich während der Suche geändert: Fragen Sie erneut.</translation>
    </message>
    <message>
        <source>None of the %1 policies considered meets it (with a known cost and quality).</source>
        <translation>Keine der %1 geprüften Richtlinien erfüllt das (mit bekannten Kosten und bekannter Qualität).</translation>
    </message>
    <message>
        <source>Answer, out of %1 policies: &quot;%2&quot; (selected in the list and the table).</source>
        <translation>Antwort aus %1 Richtlinien: „%2“ (in der Liste und der Tabelle ausgewählt).</translation>
    </message>
    <message numerus="yes">
        <source>Loaded %n policy(ies) from %1.</source>
        <translation>
            <numerusform>%n Richtlinie aus %1 geladen.</numerusform>
            <numerusform>%n Richtlinien aus %1 geladen.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saved %n policy(ies) to %1.</source>
        <translation>
            <numerusform>%n Richtlinie in %1 gespeichert.</numerusform>
            <numerusform>%n Richtlinien in %1 gespeichert.</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Fetch What Is Missing…</source>
        <translation>&amp;Fehlendes nachholen…</translation>
    </message>
    <message>
        <source>Send only the answers and validator verdicts the policies&apos; replays lack, and record them into this run</source>
        <translation>Nur die Antworten und Prüferurteile senden, die den Wiederholungen der Richtlinien fehlen, und sie in diesem Lauf speichern</translation>
    </message>
    <message>
        <source>No replay lacks anything that can be fetched.</source>
        <translation>Keiner Wiederholung fehlt etwas, das nachgeholt werden kann.</translation>
    </message>
    <message>
        <source>They are recorded into this run, which keeps everything it already has.</source>
        <translation>Sie werden in diesem Lauf gespeichert, der alles behält, was er schon hat.</translation>
    </message>
    <message>
        <source>Fetch What Is Missing</source>
        <translation>Fehlendes nachholen</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <source>pick     case %1, repeat %2: %3 over %4</source>
        <translation>Auswahl  Fall %1, Wiederholung %2: %3 über %4</translation>
    </message>
    <message numerus="yes">
        <source>Send %n answer request(s),</source>
        <translation>
            <numerusform>%n Antwortanfrage senden,</numerusform>
            <numerusform>%n Antwortanfragen senden,</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>ask for %n validator verdict(s)</source>
        <translation>
            <numerusform>%n Prüferurteil erfragen</numerusform>
            <numerusform>%n Prüferurteile erfragen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>and %n best-of-N pick(s)?</source>
        <translation>
            <numerusform>und %n Best-of-N-Auswahl?</numerusform>
            <numerusform>und %n Best-of-N-Auswahlen?</numerusform>
        </translation>
    </message>
    <message>
        <source>A pick asks the judge twice, the answers&apos; positions swapped.</source>
        <translation>Eine Auswahl fragt den Richter zweimal, mit vertauschten Positionen der Antworten.</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) cannot be fetched: answers of targets the run did not compare.</source>
        <translation>
            <numerusform>%n Eintrag kann nicht nachgeholt werden: Antworten von Zielen, die der Lauf nicht verglichen hat.</numerusform>
            <numerusform>%n Einträge können nicht nachgeholt werden: Antworten von Zielen, die der Lauf nicht verglichen hat.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2 answer(s) and %3 verdict(s) or pick(s) missing; %4 replay(s) left out.</source>
        <translation>%1: %2 Antwort(en) und %3 Urteil(e) oder Auswahl(en) fehlen; %4 Wiederholung(en) ausgelassen.</translation>
    </message>
</context>
<context>
    <name>Slopscope::RoutingPolicyEditor</name>
    <message>
        <source>Cascade: draft, validate, escalate</source>
        <translation>Kaskade: Entwurf, Prüfung, Eskalation</translation>
    </message>
    <message>
        <source>By tag: route by the case&apos;s tags</source>
        <translation>Nach Schlagwort: nach den Schlagwörtern des Falls leiten</translation>
    </message>
    <message>
        <source>Best of N: a judge picks one answer</source>
        <translation>Beste von N: ein Bewerter wählt eine Antwort</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>&amp;Name</translation>
    </message>
    <message>
        <source>&amp;Description</source>
        <translation>&amp;Beschreibung</translation>
    </message>
    <message>
        <source>&amp;Kind</source>
        <translation>&amp;Art</translation>
    </message>
    <message>
        <source>Target answers</source>
        <translation>Ziel antwortet</translation>
    </message>
    <message>
        <source>Validator</source>
        <translation>Validator</translation>
    </message>
    <message>
        <source>Keep at score ≥</source>
        <translation>Behalten ab Punktzahl ≥</translation>
    </message>
    <message>
        <source>Each stage&apos;s answer is kept when its validator&apos;s score reaches the threshold; otherwise the next stage answers. The oracle reads the answer&apos;s own recorded grade: free, and an upper bound on a real validator.</source>
        <translation>Die Antwort einer Stufe wird behalten, wenn die Punktzahl ihres Validators den Schwellenwert erreicht; sonst antwortet die nächste Stufe. Das Orakel liest die aufgezeichnete Bewertung der Antwort selbst: kostenlos und eine Obergrenze für einen echten Validator.</translation>
    </message>
    <message>
        <source>Add Stage</source>
        <translation>Stufe hinzufügen</translation>
    </message>
    <message>
        <source>Remove Stage</source>
        <translation>Stufe entfernen</translation>
    </message>
    <message>
        <source>Cases tagged</source>
        <translation>Fälle mit Schlagwort</translation>
    </message>
    <message>
        <source>go to</source>
        <translation>gehen an</translation>
    </message>
    <message>
        <source>Add Rule</source>
        <translation>Regel hinzufügen</translation>
    </message>
    <message>
        <source>Remove Rule</source>
        <translation>Regel entfernen</translation>
    </message>
    <message>
        <source>All other cases go to</source>
        <translation>Alle anderen Fälle gehen an</translation>
    </message>
    <message>
        <source>Candidates (all answer; check two or more):</source>
        <translation>Kandidaten (alle antworten; mindestens zwei anhaken):</translation>
    </message>
    <message>
        <source>Judge picks one</source>
        <translation>Bewerter wählt eine</translation>
    </message>
    <message>
        <source>%1 (not in this run)</source>
        <translation>%1 (nicht in diesem Lauf)</translation>
    </message>
    <message>
        <source>oracle (the answer&apos;s own grade)</source>
        <translation>Orakel (die Bewertung der Antwort selbst)</translation>
    </message>
    <message>
        <source>%1 (recorded verdicts)</source>
        <translation>%1 (aufgezeichnete Urteile)</translation>
    </message>
    <message>
        <source>%1 (no verdicts recorded)</source>
        <translation>%1 (keine Urteile aufgezeichnet)</translation>
    </message>
</context>
<context>
    <name>Slopscope::RunComparisonModel</name>
    <message>
        <source>%1 ▼ %2</source>
        <translation>%1 ▼ %2</translation>
    </message>
    <message>
        <source>%1 ▲ %2</source>
        <translation>%1 ▲ %2</translation>
    </message>
    <message>
        <source>%1 ≈ %2</source>
        <translation>%1 ≈ %2</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>⚠ %1</source>
        <translation>⚠ %1</translation>
    </message>
    <message>
        <source>Target %1 was not in this run.</source>
        <translation>Ziel %1 war nicht in diesem Lauf.</translation>
    </message>
    <message>
        <source>Significantly worse than the first run: the 95% intervals do not overlap.</source>
        <translation>Signifikant schlechter als der erste Lauf: Die 95-%-Intervalle überlappen sich nicht.</translation>
    </message>
    <message>
        <source>Significantly better than the first run: the 95% intervals do not overlap.</source>
        <translation>Signifikant besser als der erste Lauf: Die 95-%-Intervalle überlappen sich nicht.</translation>
    </message>
    <message>
        <source>Not significant: the 95% intervals overlap, so the change may be noise.</source>
        <translation>Nicht signifikant: Die 95-%-Intervalle überlappen sich, die Änderung kann also Rauschen sein.</translation>
    </message>
    <message numerus="yes">
        <source>Mean score over %n case(s); the range is a 95% bootstrap interval.</source>
        <translation>
            <numerusform>Mittlere Punktzahl über %n Fall; der Bereich ist ein 95-%-Bootstrap-Intervall.</numerusform>
            <numerusform>Mittlere Punktzahl über %n Fälle; der Bereich ist ein 95-%-Bootstrap-Intervall.</numerusform>
        </translation>
    </message>
    <message>
        <source>The provider reported %1 here but %2 in the run before: the model may have been swapped without notice.</source>
        <translation>Der Anbieter meldete hier %1, im vorherigen Lauf aber %2: Das Modell wurde möglicherweise ohne Ankündigung ausgetauscht.</translation>
    </message>
    <message>
        <source>The model the provider reported; configured: %1</source>
        <translation>Das vom Anbieter gemeldete Modell; konfiguriert: %1</translation>
    </message>
    <message>
        <source>Mean cost of one case.</source>
        <translation>Mittlere Kosten eines Falls.</translation>
    </message>
    <message numerus="yes">
        <source>Unknown: %n answer(s) had no known price.</source>
        <translation>
            <numerusform>Unbekannt: %n Antwort hatte keinen bekannten Preis.</numerusform>
            <numerusform>Unbekannt: %n Antworten hatten keinen bekannten Preis.</numerusform>
        </translation>
    </message>
    <message>
        <source>Answers that did not complete, of those recorded.</source>
        <translation>Nicht abgeschlossene Antworten, bezogen auf die aufgezeichneten.</translation>
    </message>
    <message>
        <source>Target %1: the reported model changed between these runs.</source>
        <translation>Ziel %1: Das gemeldete Modell hat sich zwischen diesen Läufen geändert.</translation>
    </message>
    <message>
        <source>Target %1</source>
        <translation>Ziel %1</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Run %1 of %2, the baseline the others are compared with.</source>
        <translation>Lauf %1 von %2, die Basis, mit der die anderen verglichen werden.</translation>
    </message>
    <message>
        <source>Run %1 of %2</source>
        <translation>Lauf %1 von %2</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>Qualität</translation>
    </message>
    <message>
        <source>TTFT</source>
        <translation>TTFT</translation>
    </message>
    <message>
        <source>Decode</source>
        <translation>Dekodierung</translation>
    </message>
    <message>
        <source>Cost/case</source>
        <translation>Kosten/Fall</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Reported model</source>
        <translation>Gemeldetes Modell</translation>
    </message>
    <message>
        <source>
%1</source>
        <translation>
%1</translation>
    </message>
    <message>
        <source>%1
%2</source>
        <translation>%1
%2</translation>
    </message>
    <message>
        <source>%1 (baseline)</source>
        <translation>%1 (Basis)</translation>
    </message>
</context>
<context>
    <name>Slopscope::RunComparisonView</name>
    <message>
        <source>Compare Runs</source>
        <translation>Läufe vergleichen</translation>
    </message>
    <message>
        <source>Each run against the oldest one. Bold ▼/▲ on a tint: a significant change (the 95% intervals do not overlap); ≈: within the noise. ⚠: the provider reported another model than in the run before, a sign of a silent model swap. —: unknown.</source>
        <translation>Jeder Lauf gegenüber dem ältesten. Fettes ▼/▲ auf Farbton: eine signifikante Änderung (die 95-%-Intervalle überlappen sich nicht); ≈: im Rauschen. ⚠: Der Anbieter meldete ein anderes Modell als im vorherigen Lauf, ein Zeichen für einen stillen Modelltausch. —: unbekannt.</translation>
    </message>
    <message>
        <source>Targets across the compared runs</source>
        <translation>Ziele über die verglichenen Läufe</translation>
    </message>
    <message>
        <source>Show &amp;Drift…</source>
        <translation>&amp;Drift anzeigen…</translation>
    </message>
    <message>
        <source>The selected target across every recorded run (Enter)</source>
        <translation>Das ausgewählte Ziel über alle aufgezeichneten Läufe (Eingabe)</translation>
    </message>
    <message>
        <source>No run %1 in the history.</source>
        <translation>Kein Lauf %1 im Verlauf.</translation>
    </message>
    <message>
        <source>Reading the history…</source>
        <translation>Verlauf wird gelesen…</translation>
    </message>
    <message>
        <source>Cannot compare the runs: %1</source>
        <translation>Die Läufe können nicht verglichen werden: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) compared, %1.</source>
        <translation>
            <numerusform>%n Lauf verglichen, %1.</numerusform>
            <numerusform>%n Läufe verglichen, %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n target(s)</source>
        <translation>
            <numerusform>%n Ziel</numerusform>
            <numerusform>%n Ziele</numerusform>
        </translation>
    </message>
    <message>
        <source>fewer than two suite runs are selected (quick-compare exchanges are not compared).</source>
        <translation>weniger als zwei Suite-Läufe ausgewählt (Schnellvergleichs-Austausche werden nicht verglichen).</translation>
    </message>
</context>
<context>
    <name>Slopscope::RunListModel</name>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>abgeschlossen</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>unterbrochen</translation>
    </message>
    <message numerus="yes">
        <source>%n result(s) without a known price are not counted.</source>
        <translation>
            <numerusform>%n Ergebnis ohne bekannten Preis wird nicht mitgezählt.</numerusform>
            <numerusform>%n Ergebnisse ohne bekannten Preis werden nicht mitgezählt.</numerusform>
        </translation>
    </message>
    <message>
        <source>Run %1</source>
        <translation>Lauf %1</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>$%1</source>
        <translation>$%1</translation>
    </message>
    <message>
        <source>%1 (resumed)</source>
        <translation>%1 (fortgesetzt)</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Gestartet</translation>
    </message>
    <message>
        <source>Suite</source>
        <translation>Suite</translation>
    </message>
    <message>
        <source>Targets</source>
        <translation>Ziele</translation>
    </message>
    <message>
        <source>Answers</source>
        <translation>Antworten</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Kosten</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Quick compare</source>
        <translation>Schnellvergleich</translation>
    </message>
    <message numerus="yes">
        <source>%1 (one prompt sent to %n target(s)): %2</source>
        <translation>
            <numerusform>%1 (ein Prompt an %n Ziel gesendet): %2</numerusform>
            <numerusform>%1 (ein Prompt an %n Ziele gesendet): %2</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>Slopscope::RunRecorder</name>
    <message numerus="yes">
        <source>Disk full: %n result(s) waiting to be saved</source>
        <translation>
            <numerusform>Datenträger voll: %n Ergebnis wartet auf Speicherung</numerusform>
            <numerusform>Datenträger voll: %n Ergebnisse warten auf Speicherung</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saving is behind: %n result(s) waiting to be saved</source>
        <translation>
            <numerusform>Speichern im Rückstand: %n Ergebnis wartet auf Speicherung</numerusform>
            <numerusform>Speichern im Rückstand: %n Ergebnisse warten auf Speicherung</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Slopscope::RunScheduler</name>
    <message>
        <source>A run is already going</source>
        <translation>Ein Lauf ist bereits im Gange</translation>
    </message>
    <message>
        <source>Job %1 names the unknown provider &quot;%2&quot;</source>
        <translation>Auftrag %1 nennt den unbekannten Anbieter &quot;%2&quot;</translation>
    </message>
    <message>
        <source>Job ids must be unique and not empty (&quot;%1&quot;)</source>
        <translation>Auftrags-IDs müssen eindeutig und nicht leer sein (&quot;%1&quot;)</translation>
    </message>
    <message>
        <source>No run is going to add jobs to</source>
        <translation>Es läuft kein Lauf, dem Aufträge hinzugefügt werden könnten</translation>
    </message>
    <message>
        <source>rate limit used up (provider headers)</source>
        <translation>Ratenlimit ausgeschöpft (Anbieter-Header)</translation>
    </message>
    <message>
        <source>resuming in %1</source>
        <translation>Fortsetzung in %1</translation>
    </message>
    <message>
        <source>rate-limited, %1</source>
        <translation>Ratenlimit erreicht, %1</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message numerus="yes">
        <source>(gave up after %n attempt(s))</source>
        <translation>
            <numerusform>(nach %n Versuch aufgegeben)</numerusform>
            <numerusform>(nach %n Versuchen aufgegeben)</numerusform>
        </translation>
    </message>
    <message>
        <source>Not sent: provider %1 stopped after an error no retry can fix: %2</source>
        <translation>Nicht gesendet: Anbieter %1 wurde nach einem Fehler angehalten, den kein erneuter Versuch beheben kann: %2</translation>
    </message>
    <message numerus="yes">
        <source>too many failures: %n retries in the last %1</source>
        <translation>
            <numerusform>zu viele Fehlschläge: %n erneuter Versuch in den letzten %1</numerusform>
            <numerusform>zu viele Fehlschläge: %n erneute Versuche in den letzten %1</numerusform>
        </translation>
    </message>
    <message>
        <source>offline — waiting for the network</source>
        <translation>offline — warte auf das Netzwerk</translation>
    </message>
    <message>
        <source>rate-limited</source>
        <translation>ratenbegrenzt</translation>
    </message>
</context>
<context>
    <name>Slopscope::RunSession</name>
    <message>
        <source>The workspace has no target &quot;%1&quot;.</source>
        <translation>Der Arbeitsbereich hat kein Ziel &quot;%1&quot;.</translation>
    </message>
    <message>
        <source>No target is selected.</source>
        <translation>Kein Ziel ausgewählt.</translation>
    </message>
    <message>
        <source>The suite has no case to run.</source>
        <translation>Die Testsuite hat keinen Fall zum Ausführen.</translation>
    </message>
    <message>
        <source>Repeats must be at least 1.</source>
        <translation>Wiederholungen müssen mindestens 1 sein.</translation>
    </message>
    <message>
        <source>A run is already going.</source>
        <translation>Ein Lauf ist bereits im Gange.</translation>
    </message>
    <message>
        <source>Every cell of this run is already answered; there is nothing to resume.</source>
        <translation>Jede Zelle dieses Laufs ist bereits beantwortet; es gibt nichts fortzusetzen.</translation>
    </message>
    <message>
        <source>The workspace has no target &quot;%1&quot; to be the judge.</source>
        <translation>Der Arbeitsbereich hat kein Ziel &quot;%1&quot;, das als Bewerter dienen kann.</translation>
    </message>
    <message>
        <source>The judge &quot;%1&quot; names the unknown provider &quot;%2&quot;.</source>
        <translation>Der Bewerter &quot;%1&quot; nennt den unbekannten Anbieter &quot;%2&quot;.</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>spend cap of $%1 reached</source>
        <translation>Ausgabenlimit von $%1 erreicht</translation>
    </message>
    <message>
        <source>the run ended before the judge answered</source>
        <translation>der Lauf endete, bevor der Bewerter antwortete</translation>
    </message>
    <message>
        <source>no judge</source>
        <translation>kein Bewerter</translation>
    </message>
    <message>
        <source>waiting for the other targets&apos; answers</source>
        <translation>wartet auf die Antworten der anderen Ziele</translation>
    </message>
    <message>
        <source>llm-rubric needs a rubric (the assertion&apos;s value)</source>
        <translation>llm-rubric braucht ein Bewertungsschema (den Wert der Zusicherung)</translation>
    </message>
    <message>
        <source>factuality needs a reference (the assertion&apos;s value or the case&apos;s reference)</source>
        <translation>factuality braucht eine Referenz (den Wert der Zusicherung oder die Referenz des Falls)</translation>
    </message>
    <message>
        <source>waiting for the judge</source>
        <translation>wartet auf den Bewerter</translation>
    </message>
    <message>
        <source>the run stopped before the judge was asked</source>
        <translation>der Lauf wurde angehalten, bevor der Bewerter gefragt wurde</translation>
    </message>
    <message>
        <source>select-best needs at least two answers</source>
        <translation>select-best braucht mindestens zwei Antworten</translation>
    </message>
    <message>
        <source>the judge call was cancelled</source>
        <translation>der Aufruf des Bewerters wurde abgebrochen</translation>
    </message>
    <message>
        <source>the judge request failed: %1</source>
        <translation>die Anfrage an den Bewerter ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>no complete answer</source>
        <translation>keine vollständige Antwort</translation>
    </message>
    <message>
        <source>%1 was picked: %2</source>
        <translation>%1 wurde gewählt: %2</translation>
    </message>
    <message>
        <source>first ask picked %1, swapped ask picked %2</source>
        <translation>die erste Anfrage wählte %1, die vertauschte Anfrage wählte %2</translation>
    </message>
    <message>
        <source>The workspace has no usable target &quot;%1&quot; to be the validator.</source>
        <translation>Der Arbeitsbereich hat kein nutzbares Ziel „%1“, das prüfen könnte.</translation>
    </message>
    <message>
        <source>%1: no complete answer is recorded to judge</source>
        <translation>%1: keine vollständige Antwort gespeichert, die beurteilt werden könnte</translation>
    </message>
    <message>
        <source>%1: the case has no rubric and no reference to judge the answer against</source>
        <translation>%1: der Fall hat weder Rubrik noch Referenz, an der die Antwort gemessen werden könnte</translation>
    </message>
    <message>
        <source>%1: nothing the validator could be asked</source>
        <translation>%1: nichts, was der Prüfer gefragt werden könnte</translation>
    </message>
    <message>
        <source>The workspace has no usable target &quot;%1&quot; to be the judge.</source>
        <translation>Der Arbeitsbereich hat kein nutzbares Ziel „%1“ als Richter.</translation>
    </message>
    <message>
        <source>the answers to compare are gone</source>
        <translation>die zu vergleichenden Antworten sind nicht mehr da</translation>
    </message>
    <message>
        <source>%1: no complete answers to one case are recorded to compare</source>
        <translation>%1: keine vollständigen Antworten auf einen Fall gespeichert, die verglichen werden könnten</translation>
    </message>
    <message>
        <source>the run ended before the code tests ran</source>
        <translation>der Lauf endete, bevor die Code-Tests liefen</translation>
    </message>
    <message>
        <source>not: %1</source>
        <translation>nicht: %1</translation>
    </message>
    <message>
        <source>no code block in the answer</source>
        <translation>kein Codeblock in der Antwort</translation>
    </message>
    <message>
        <source>the run stopped before the code tests ran</source>
        <translation>der Lauf wurde angehalten, bevor die Code-Tests liefen</translation>
    </message>
    <message>
        <source>waiting for the code tests</source>
        <translation>warte auf die Code-Tests</translation>
    </message>
    <message>
        <source>the run was cancelled before the code tests finished</source>
        <translation>der Lauf wurde abgebrochen, bevor die Code-Tests fertig waren</translation>
    </message>
    <message>
        <source>not compared: %1, whose chain did not answer turn %2</source>
        <translation>nicht verglichen: %1, dessen Kette Runde %2 nicht beantwortet hat</translation>
    </message>
</context>
<context>
    <name>Slopscope::SessionKeyStore</name>
    <message>
        <source>this session only</source>
        <translation>nur diese Sitzung</translation>
    </message>
</context>
<context>
    <name>Slopscope::SettingsDialog</name>
    <message>
        <source>Preferences</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>&amp;Keys</source>
        <translation>&amp;Schlüssel</translation>
    </message>
    <message>
        <source>&amp;Appearance</source>
        <translation>&amp;Darstellung</translation>
    </message>
    <message>
        <source>&amp;Providers</source>
        <translation>&amp;Anbieter</translation>
    </message>
</context>
<context>
    <name>Slopscope::SingleInstance</name>
    <message>
        <source>Cannot write the instance lock %1: permission denied</source>
        <translation>Die Instanzsperre %1 kann nicht geschrieben werden: Zugriff verweigert</translation>
    </message>
    <message>
        <source>Cannot write the instance lock %1</source>
        <translation>Die Instanzsperre %1 kann nicht geschrieben werden</translation>
    </message>
</context>
<context>
    <name>Slopscope::StoreWriter</name>
    <message>
        <source>The history file %1 does not exist; open it with HistoryStore first.</source>
        <translation>Die Verlaufsdatei %1 existiert nicht; öffnen Sie sie zuerst mit HistoryStore.</translation>
    </message>
    <message>
        <source>Cannot open %1 for writing: %2</source>
        <translation>%1 kann nicht zum Schreiben geöffnet werden: %2</translation>
    </message>
    <message>
        <source>Cannot prepare %1 for writing: %2</source>
        <translation>%1 kann nicht zum Schreiben vorbereitet werden: %2</translation>
    </message>
    <message>
        <source>%1 has history schema %2, but this version of Slopscope writes schema %3.</source>
        <translation>%1 hat das Verlaufsschema %2, aber diese Version von Slopscope schreibt Schema %3.</translation>
    </message>
    <message numerus="yes">
        <source>%n operation(s) could not be saved to %1 before closing.</source>
        <translation>
            <numerusform>%n Vorgang konnte vor dem Schließen nicht in %1 gespeichert werden.</numerusform>
            <numerusform>%n Vorgänge konnten vor dem Schließen nicht in %1 gespeichert werden.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The history file %1 is locked by another program; waiting to save %n result(s).</source>
        <translation>
            <numerusform>Die Verlaufsdatei %1 ist von einem anderen Programm gesperrt; %n Ergebnis wartet auf das Speichern.</numerusform>
            <numerusform>Die Verlaufsdatei %1 ist von einem anderen Programm gesperrt; %n Ergebnisse warten auf das Speichern.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The disk holding %1 is full (or the history reached its size limit). %n finished result(s) are kept in memory and saving is retried; free some space.</source>
        <translation>
            <numerusform>Der Datenträger mit %1 ist voll (oder der Verlauf hat seine Größengrenze erreicht). %n fertiges Ergebnis wird im Speicher gehalten und das Speichern wird wiederholt; geben Sie Speicherplatz frei.</numerusform>
            <numerusform>Der Datenträger mit %1 ist voll (oder der Verlauf hat seine Größengrenze erreicht). %n fertige Ergebnisse werden im Speicher gehalten und das Speichern wird wiederholt; geben Sie Speicherplatz frei.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 has become read-only; %n result(s) are kept in memory and saving is retried.</source>
        <translation>
            <numerusform>%1 ist schreibgeschützt geworden; %n Ergebnis wird im Speicher gehalten und das Speichern wird wiederholt.</numerusform>
            <numerusform>%1 ist schreibgeschützt geworden; %n Ergebnisse werden im Speicher gehalten und das Speichern wird wiederholt.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saving to %1 failed (%2); %n result(s) are kept in memory and saving is retried.</source>
        <translation>
            <numerusform>Speichern in %1 fehlgeschlagen (%2); %n Ergebnis wird im Speicher gehalten und das Speichern wird wiederholt.</numerusform>
            <numerusform>Speichern in %1 fehlgeschlagen (%2); %n Ergebnisse werden im Speicher gehalten und das Speichern wird wiederholt.</numerusform>
        </translation>
    </message>
    <message>
        <source>An entry could not be saved to %1 and was dropped: %2</source>
        <translation>Ein Eintrag konnte nicht in %1 gespeichert werden und wurde verworfen: %2</translation>
    </message>
    <message>
        <source>no run %1 in the history</source>
        <translation>kein Lauf %1 im Verlauf</translation>
    </message>
</context>
<context>
    <name>Slopscope::StreamHandler</name>
    <message>
        <source>response exceeded %1</source>
        <translation>Antwort überschritt %1</translation>
    </message>
    <message numerus="yes">
        <source>connection lost after %n content event(s): %1</source>
        <translation>
            <numerusform>Verbindung nach %n Inhaltsereignis verloren: %1</numerusform>
            <numerusform>Verbindung nach %n Inhaltsereignissen verloren: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 redirected the request (HTTP %2) to %3; redirects are not followed, so the key is not sent elsewhere. Check the provider&apos;s base URL</source>
        <translation>%1 hat die Anfrage nach %3 umgeleitet (HTTP %2); Umleitungen werden nicht verfolgt, damit der Schlüssel nicht anderswohin gesendet wird. Prüfen Sie die Basis-URL des Anbieters</translation>
    </message>
    <message>
        <source>an unnamed location</source>
        <translation>ein unbenannter Ort</translation>
    </message>
    <message>
        <source>%1 sent no HTTP response</source>
        <translation>%1 hat keine HTTP-Antwort gesendet</translation>
    </message>
    <message>
        <source>No decoder for %1 responses</source>
        <translation>Kein Decoder für %1-Antworten</translation>
    </message>
    <message>
        <source>HTTP %1</source>
        <translation>HTTP %1</translation>
    </message>
    <message>
        <source>%1 from %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>%1 from %2: %3</source>
        <translation>%1 von %2: %3</translation>
    </message>
    <message numerus="yes">
        <source>the provider reported an error after %n content event(s): %1</source>
        <translation>
            <numerusform>der Anbieter meldete nach %n Inhaltsereignis einen Fehler: %1</numerusform>
            <numerusform>der Anbieter meldete nach %n Inhaltsereignissen einen Fehler: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>the provider reported an error: %1</source>
        <translation>der Anbieter meldete einen Fehler: %1</translation>
    </message>
    <message>
        <source>the provider stopped early (%1)</source>
        <translation>der Anbieter hat vorzeitig aufgehört (%1)</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>keine Begründung angegeben</translation>
    </message>
    <message numerus="yes">
        <source>stream ended without its end marker after %n content event(s)</source>
        <translation>
            <numerusform>Datenstrom endete nach %n Inhaltsereignis ohne Endmarkierung</numerusform>
            <numerusform>Datenstrom endete nach %n Inhaltsereignissen ohne Endmarkierung</numerusform>
        </translation>
    </message>
    <message>
        <source>stream ended without any content or end marker</source>
        <translation>Datenstrom endete ohne Inhalt und ohne Endmarkierung</translation>
    </message>
    <message>
        <source>%1 sent a response that could not be read: %2</source>
        <translation>%1 hat eine Antwort gesendet, die nicht gelesen werden konnte: %2</translation>
    </message>
</context>
<context>
    <name>Slopscope::StreamPane</name>
    <message>
        <source>idle</source>
        <translation>inaktiv</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>in Warteschlange</translation>
    </message>
    <message>
        <source>waiting for first token</source>
        <translation>wartet auf erstes Token</translation>
    </message>
    <message>
        <source>streaming</source>
        <translation>empfängt</translation>
    </message>
    <message>
        <source>retrying</source>
        <translation>neuer Versuch</translation>
    </message>
    <message>
        <source>done</source>
        <translation>fertig</translation>
    </message>
    <message>
        <source>truncated</source>
        <translation>abgeschnitten</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>nicht bestanden</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>TTFT %1 ms · %2 tok/s · %3 tokens · cost %4</source>
        <translation>TTFT %1 ms · %2 tok/s · %3 Tokens · Kosten %4</translation>
    </message>
    <message>
        <source>Tokens per second estimated from characters: the provider reported no usage.</source>
        <translation>Tokens pro Sekunde aus Zeichen geschätzt: Der Anbieter hat keine Nutzung gemeldet.</translation>
    </message>
    <message numerus="yes">
        <source>Reasoning (%n character(s))</source>
        <translation>
            <numerusform>Denkprozess (%n Zeichen)</numerusform>
            <numerusform>Denkprozess (%n Zeichen)</numerusform>
        </translation>
    </message>
    <message>
        <source>Chain so far</source>
        <translation>Bisherige Kette</translation>
    </message>
    <message>
        <source>%1 · answering…</source>
        <translation>%1 · antwortet…</translation>
    </message>
</context>
<context>
    <name>Slopscope::StreamPaneGrid</name>
    <message>
        <source>No case running.</source>
        <translation>Kein Fall läuft.</translation>
    </message>
</context>
<context>
    <name>Slopscope::SuiteCaseModel</name>
    <message>
        <source>(no id)</source>
        <translation>(keine ID)</translation>
    </message>
    <message>
        <source>The suite has no cases.</source>
        <translation>Die Suite enthält keine Fälle.</translation>
    </message>
    <message>
        <source>The suite has no name.</source>
        <translation>Die Suite hat keinen Namen.</translation>
    </message>
    <message>
        <source>Case %1 (%2): %3</source>
        <translation>Fall %1 (%2): %3</translation>
    </message>
    <message>
        <source>the id is empty</source>
        <translation>die ID ist leer</translation>
    </message>
    <message>
        <source>duplicate case id &quot;%1&quot;</source>
        <translation>doppelte Fall-ID &quot;%1&quot;</translation>
    </message>
</context>
<context>
    <name>Slopscope::SuiteDefaultsForm</name>
    <message>
        <source>Every case of the suite starts from these.</source>
        <translation>Jeder Fall der Suite geht von diesen Werten aus.</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>System-Prompt</translation>
    </message>
    <message>
        <source>Sent first with every case; {{name}} is filled from the case&apos;s variables.</source>
        <translation>Wird bei jedem Fall zuerst gesendet; {{name}} wird aus den Variablen des Falls befüllt.</translation>
    </message>
    <message>
        <source>&amp;System prompt</source>
        <translation>&amp;System-Prompt</translation>
    </message>
    <message>
        <source>Params</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>Request parameters for every case, e.g. {&quot;temperature&quot;: 0}</source>
        <translation>Anfrageparameter für jeden Fall, z. B. {&quot;temperature&quot;: 0}</translation>
    </message>
    <message>
        <source>&amp;Params</source>
        <translation>&amp;Parameter</translation>
    </message>
    <message>
        <source>default params</source>
        <translation>Standardparameter</translation>
    </message>
    <message>
        <source>Default assertions</source>
        <translation>Standard-Assertions</translation>
    </message>
    <message>
        <source>Default asse&amp;rtions</source>
        <translation>Standard-&amp;Assertions</translation>
    </message>
    <message>
        <source>default assertions</source>
        <translation>Standard-Assertions</translation>
    </message>
    <message>
        <source>Default time budget</source>
        <translation>Standard-Zeitbudget</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keines</translation>
    </message>
    <message>
        <source>The time budget of every case without its own; 0 for none</source>
        <translation>Das Zeitbudget jedes Falls ohne eigenes; 0 für keines</translation>
    </message>
    <message>
        <source>Default time &amp;budget</source>
        <translation>Standard-&amp;Zeitbudget</translation>
    </message>
    <message>
        <source>default time budget</source>
        <translation>Standard-Zeitbudget</translation>
    </message>
    <message>
        <source>Default assertions: %1</source>
        <translation>Standard-Assertions: %1</translation>
    </message>
    <message>
        <source>Change %1</source>
        <translation>%1 ändern</translation>
    </message>
    <message>
        <source>default system prompt</source>
        <translation>Standard-System-Prompt</translation>
    </message>
    <message>
        <source>Suite description</source>
        <translation>Suite-Beschreibung</translation>
    </message>
    <message>
        <source>What the suite measures, for whoever runs it next.</source>
        <translation>Was die Suite misst, für alle, die sie später ausführen.</translation>
    </message>
    <message>
        <source>&amp;Description</source>
        <translation>&amp;Beschreibung</translation>
    </message>
    <message>
        <source>suite description</source>
        <translation>Suite-Beschreibung</translation>
    </message>
</context>
<context>
    <name>Slopscope::SuiteEditor</name>
    <message>
        <source>Suite name</source>
        <translation>Suite-Name</translation>
    </message>
    <message>
        <source>Rename suite</source>
        <translation>Suite umbenennen</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>Fälle</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>&amp;Hinzufügen</translation>
    </message>
    <message>
        <source>Add a case after the selected one</source>
        <translation>Einen Fall nach dem ausgewählten hinzufügen</translation>
    </message>
    <message>
        <source>D&amp;uplicate</source>
        <translation>&amp;Duplizieren</translation>
    </message>
    <message>
        <source>Duplicate the selected case</source>
        <translation>Den ausgewählten Fall duplizieren</translation>
    </message>
    <message>
        <source>Remo&amp;ve</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <source>Remove the selected case</source>
        <translation>Den ausgewählten Fall entfernen</translation>
    </message>
    <message>
        <source>▲</source>
        <translation>▲</translation>
    </message>
    <message>
        <source>Move the case up</source>
        <translation>Den Fall nach oben verschieben</translation>
    </message>
    <message>
        <source>▼</source>
        <translation>▼</translation>
    </message>
    <message>
        <source>Move the case down</source>
        <translation>Den Fall nach unten verschieben</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>Add case %1</source>
        <translation>Fall %1 hinzufügen</translation>
    </message>
    <message>
        <source>Duplicate case %1</source>
        <translation>Fall %1 duplizieren</translation>
    </message>
    <message>
        <source>Remove case %1</source>
        <translation>Fall %1 entfernen</translation>
    </message>
    <message>
        <source>Move case %1</source>
        <translation>Fall %1 verschieben</translation>
    </message>
    <message>
        <source>Change case %1</source>
        <translation>Fall %1 ändern</translation>
    </message>
    <message>
        <source>&amp;Case</source>
        <translation>&amp;Fall</translation>
    </message>
    <message>
        <source>Varia&amp;nts</source>
        <translation>&amp;Varianten</translation>
    </message>
    <message>
        <source>Suite de&amp;faults</source>
        <translation>Suite-&amp;Standards</translation>
    </message>
    <message>
        <source>Varia&amp;nts (%1)</source>
        <translation>&amp;Varianten (%1)</translation>
    </message>
    <message>
        <source>Suite defaults: %1</source>
        <translation>Suite-Standards: %1</translation>
    </message>
    <message>
        <source>Change the suite defaults</source>
        <translation>Die Suite-Standards ändern</translation>
    </message>
</context>
<context>
    <name>Slopscope::TargetListWidget</name>
    <message>
        <source>price unknown</source>
        <translation>Preis unbekannt</translation>
    </message>
    <message>
        <source>$%1 / $%2 per Mtok</source>
        <translation>$%1 / $%2 pro Mtok</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>Anbieter</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Price (in / out)</source>
        <translation>Preis (Ein-/Ausgabe)</translation>
    </message>
</context>
<context>
    <name>Slopscope::TargetSettingsForm</name>
    <message>
        <source>Price (US$ per million tokens)</source>
        <translation>Preis (US$ pro Million Tokens)</translation>
    </message>
    <message>
        <source>&amp;Input:</source>
        <translation>&amp;Eingabe:</translation>
    </message>
    <message>
        <source>&amp;Output:</source>
        <translation>&amp;Ausgabe:</translation>
    </message>
    <message>
        <source>&amp;Cached input:</source>
        <translation>&amp;Gecachte Eingabe:</translation>
    </message>
    <message>
        <source>Cache &amp;write:</source>
        <translation>Cache-&amp;Schreiben:</translation>
    </message>
    <message>
        <source>Reaso&amp;ning:</source>
        <translation>Reaso&amp;ning:</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>provider default</source>
        <translation>Anbieter-Standard</translation>
    </message>
    <message>
        <source>&amp;Temperature:</source>
        <translation>&amp;Temperatur:</translation>
    </message>
    <message>
        <source>&amp;Max tokens:</source>
        <translation>&amp;Max. Tokens:</translation>
    </message>
    <message>
        <source>&amp;Reasoning effort:</source>
        <translation>&amp;Reasoning-Aufwand:</translation>
    </message>
    <message>
        <source>Target %1 (%2 on %3)</source>
        <translation>Ziel %1 (%2 auf %3)</translation>
    </message>
    <message>
        <source>No price catalogue: an empty price is unknown.</source>
        <translation>Kein Preiskatalog: Ein leerer Preis ist unbekannt.</translation>
    </message>
    <message>
        <source>“%1” is not in the price catalogue of %2: an empty price is unknown.</source>
        <translation>„%1“ ist nicht im Preiskatalog von %2: Ein leerer Preis ist unbekannt.</translation>
    </message>
    <message>
        <source>Empty fields take the price catalogue of %1 (%2), for short prompts; a value you enter overrides it.</source>
        <translation>Leere Felder übernehmen den Preiskatalog von %1 (%2), für kurze Prompts; ein eingegebener Wert überschreibt ihn.</translation>
    </message>
    <message>
        <source>Empty fields take the price catalogue of %1 (%2); a value you enter overrides it.</source>
        <translation>Leere Felder übernehmen den Preiskatalog von %1 (%2); ein eingegebener Wert überschreibt ihn.</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>%1.price: “%2” is not a number</source>
        <translation>%1.price: „%2“ ist keine Zahl</translation>
    </message>
    <message>
        <source>%1.params.temperature: “%2” is not a number</source>
        <translation>%1.params.temperature: „%2“ ist keine Zahl</translation>
    </message>
    <message>
        <source>overrides the catalogue (%1)</source>
        <translation>überschreibt den Katalog (%1)</translation>
    </message>
    <message>
        <source>set here</source>
        <translation>hier festgelegt</translation>
    </message>
    <message>
        <source>from the catalogue</source>
        <translation>aus dem Katalog</translation>
    </message>
</context>
<context>
    <name>Slopscope::VariantsEditor</name>
    <message>
        <source>Variant &amp;list</source>
        <translation>Varianten&amp;liste</translation>
    </message>
    <message>
        <source>Variants</source>
        <translation>Varianten</translation>
    </message>
    <message>
        <source>A&amp;dd variant</source>
        <translation>Variante &amp;hinzufügen</translation>
    </message>
    <message>
        <source>Add a variant of the case, starting from its prompt</source>
        <translation>Eine Variante des Falls hinzufügen, ausgehend von seinem Prompt</translation>
    </message>
    <message>
        <source>Duplicate as &amp;paraphrase</source>
        <translation>Als &amp;Paraphrase duplizieren</translation>
    </message>
    <message>
        <source>Copy the selected variant (or the case) as a paraphrase to reword</source>
        <translation>Die ausgewählte Variante (oder den Fall) als Paraphrase zum Umformulieren kopieren</translation>
    </message>
    <message>
        <source>Remove varian&amp;t</source>
        <translation>Variante &amp;entfernen</translation>
    </message>
    <message>
        <source>Variant id</source>
        <translation>Varianten-ID</translation>
    </message>
    <message>
        <source>&amp;Id</source>
        <translation>&amp;ID</translation>
    </message>
    <message>
        <source>id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Variant kind</source>
        <translation>Variantenart</translation>
    </message>
    <message>
        <source>How the variant differs from the case; any word, or empty</source>
        <translation>Wie sich die Variante vom Fall unterscheidet; ein beliebiges Wort oder leer</translation>
    </message>
    <message>
        <source>&amp;Kind</source>
        <translation>&amp;Art</translation>
    </message>
    <message>
        <source>kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Variant prompt</source>
        <translation>Varianten-Prompt</translation>
    </message>
    <message>
        <source>The same question, asked differently; {{name}} is filled from the variables.</source>
        <translation>Dieselbe Frage, anders gestellt; {{name}} wird aus den Variablen befüllt.</translation>
    </message>
    <message>
        <source>Variant messages</source>
        <translation>Varianten-Nachrichten</translation>
    </message>
    <message>
        <source>messages</source>
        <translation>Nachrichten</translation>
    </message>
    <message>
        <source>Pro&amp;mpt</source>
        <translation>Pro&amp;mpt</translation>
    </message>
    <message>
        <source>Variable overrides</source>
        <translation>Variablen-Überschreibungen</translation>
    </message>
    <message>
        <source>Replace the case&apos;s variables of the same name for this variant</source>
        <translation>Die gleichnamigen Variablen des Falls für diese Variante ersetzen</translation>
    </message>
    <message>
        <source>Variable &amp;overrides</source>
        <translation>Variablen-Über&amp;schreibungen</translation>
    </message>
    <message>
        <source>variable overrides</source>
        <translation>Variablen-Überschreibungen</translation>
    </message>
    <message>
        <source>Variant reference answer</source>
        <translation>Varianten-Referenzantwort</translation>
    </message>
    <message>
        <source>Empty: the case&apos;s reference</source>
        <translation>Leer: die Referenz des Falls</translation>
    </message>
    <message>
        <source>&amp;Reference</source>
        <translation>&amp;Referenz</translation>
    </message>
    <message>
        <source>Variant %1: %2</source>
        <translation>Variante %1: %2</translation>
    </message>
    <message>
        <source>Change %1 of variant %2 of case %3</source>
        <translation>%1 von Variante %2 in Fall %3 ändern</translation>
    </message>
    <message>
        <source>Add variant %1 to case %2</source>
        <translation>Variante %1 zu Fall %2 hinzufügen</translation>
    </message>
    <message>
        <source>Duplicate %1 as paraphrase %2 in case %3</source>
        <translation>%1 als Paraphrase %2 in Fall %3 duplizieren</translation>
    </message>
    <message>
        <source>Remove variant %1 from case %2</source>
        <translation>Variante %1 aus Fall %2 entfernen</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>&amp;Messages</source>
        <translation>&amp;Nachrichten</translation>
    </message>
    <message>
        <source>prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <source>reference</source>
        <translation>Referenz</translation>
    </message>
    <message>
        <source>O&amp;wn assertions instead of the case&apos;s</source>
        <translation>Ei&amp;gene Assertions statt der des Falls</translation>
    </message>
    <message>
        <source>Variant assertions</source>
        <translation>Assertions der Variante</translation>
    </message>
    <message>
        <source>assertions</source>
        <translation>Assertions</translation>
    </message>
</context>
<context>
    <name>Slopscope::VarsEditor</name>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Add variable</source>
        <translation>Variable hinzufügen</translation>
    </message>
    <message>
        <source>Remove variable</source>
        <translation>Variable entfernen</translation>
    </message>
    <message>
        <source>Variable %1 has a value but no name</source>
        <translation>Variable %1 hat einen Wert, aber keinen Namen</translation>
    </message>
    <message>
        <source>The variable &quot;%1&quot; is named twice</source>
        <translation>Die Variable &quot;%1&quot; ist doppelt benannt</translation>
    </message>
</context>
<context>
    <name>StoreBackups</name>
    <message>
        <source>Cannot copy %1 to %2: %3</source>
        <translation>%1 kann nicht nach %2 kopiert werden: %3</translation>
    </message>
    <message>
        <source>Cannot create the backup folder %1.</source>
        <translation>Der Sicherungsordner %1 kann nicht erstellt werden.</translation>
    </message>
    <message>
        <source>Cannot finish the backup %1.</source>
        <translation>Die Sicherung %1 kann nicht abgeschlossen werden.</translation>
    </message>
</context>
<context>
    <name>StoreSchema</name>
    <message>
        <source>Cannot read the schema version of %1: %2</source>
        <translation>Die Schemaversion von %1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>%1 was written by a newer version of Slopscope (history schema %2; this version knows up to %3). It can be opened read-only; to change it, update Slopscope.</source>
        <translation>%1 wurde von einer neueren Version von Slopscope geschrieben (Verlaufsschema %2; diese Version kennt Schemata bis %3). Die Datei kann schreibgeschützt geöffnet werden; um sie zu ändern, aktualisieren Sie Slopscope.</translation>
    </message>
    <message>
        <source>Cannot back up %1 to %2 before upgrading it: %3</source>
        <translation>%1 kann vor der Aktualisierung nicht nach %2 gesichert werden: %3</translation>
    </message>
    <message>
        <source>No migration to history schema %1.</source>
        <translation>Keine Migration zum Verlaufsschema %1.</translation>
    </message>
    <message>
        <source>Cannot upgrade %1 to history schema %2: %3</source>
        <translation>%1 kann nicht auf Verlaufsschema %2 aktualisiert werden: %3</translation>
    </message>
    <message>
        <source>the history has no identity row</source>
        <translation>der Verlauf hat keine Identitätszeile</translation>
    </message>
</context>
<context>
    <name>StreamDecoder</name>
    <message>
        <source>A single event of the response exceeded %1 MiB; the stream was abandoned.</source>
        <translation>Ein einzelnes Ereignis der Antwort überschritt %1 MiB; der Datenstrom wurde abgebrochen.</translation>
    </message>
    <message>
        <source>The response exceeded %1 MiB; the stream was abandoned.</source>
        <translation>Die Antwort überschritt %1 MiB; der Datenstrom wurde abgebrochen.</translation>
    </message>
    <message>
        <source>The response was not valid JSON: %1</source>
        <translation>Die Antwort war kein gültiges JSON: %1</translation>
    </message>
    <message>
        <source>The response was not valid JSON: an event could not be parsed.</source>
        <translation>Die Antwort war kein gültiges JSON: Ein Ereignis konnte nicht geparst werden.</translation>
    </message>
</context>
<context>
    <name>Suite</name>
    <message>
        <source>a suite must be a JSON object</source>
        <translation>eine Testsuite muss ein JSON-Objekt sein</translation>
    </message>
    <message>
        <source>a list of cases is required</source>
        <translation>eine Liste von Fällen ist erforderlich</translation>
    </message>
    <message>
        <source>the suite has no cases</source>
        <translation>die Testsuite hat keine Fälle</translation>
    </message>
    <message>
        <source>duplicate case id &quot;%1&quot;</source>
        <translation>doppelte Fall-ID &quot;%1&quot;</translation>
    </message>
    <message>
        <source>unknown key (expected one of: %1)</source>
        <translation>unbekannter Schlüssel (erwartet wird einer von: %1)</translation>
    </message>
    <message>
        <source>missing (a string is required)</source>
        <translation>fehlt (eine Zeichenkette ist erforderlich)</translation>
    </message>
    <message>
        <source>expected a string</source>
        <translation>Zeichenkette erwartet</translation>
    </message>
    <message>
        <source>expected a non-empty list of messages</source>
        <translation>eine nicht leere Liste von Nachrichten erwartet</translation>
    </message>
    <message>
        <source>expected an object with &quot;role&quot; and &quot;content&quot;</source>
        <translation>ein Objekt mit &quot;role&quot; und &quot;content&quot; erwartet</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a role (system, user or assistant)</source>
        <translation>&quot;%1&quot; ist keine Rolle (system, user oder assistant)</translation>
    </message>
    <message>
        <source>expected a list of assertions</source>
        <translation>eine Liste von Zusicherungen erwartet</translation>
    </message>
    <message>
        <source>expected an object with a &quot;type&quot;</source>
        <translation>ein Objekt mit einem &quot;type&quot; erwartet</translation>
    </message>
    <message>
        <source>unknown assertion type &quot;%1&quot;</source>
        <translation>unbekannter Zusicherungstyp &quot;%1&quot;</translation>
    </message>
    <message>
        <source>expected a number</source>
        <translation>Zahl erwartet</translation>
    </message>
    <message>
        <source>expected a number of at least 0</source>
        <translation>eine Zahl von mindestens 0 erwartet</translation>
    </message>
    <message>
        <source>expected an object of names and values</source>
        <translation>ein Objekt mit Namen und Werten erwartet</translation>
    </message>
    <message>
        <source>expected a string or a number</source>
        <translation>eine Zeichenkette oder eine Zahl erwartet</translation>
    </message>
    <message>
        <source>expected an object</source>
        <translation>Objekt erwartet</translation>
    </message>
    <message>
        <source>unknown variable {{%1}}</source>
        <translation>unbekannte Variable {{%1}}</translation>
    </message>
    <message>
        <source>give either &quot;prompt&quot; or &quot;messages&quot;, not both</source>
        <translation>geben Sie entweder &quot;prompt&quot; oder &quot;messages&quot; an, nicht beides</translation>
    </message>
    <message>
        <source>a &quot;prompt&quot; or a list of &quot;messages&quot; is required</source>
        <translation>ein &quot;prompt&quot; oder eine Liste von &quot;messages&quot; ist erforderlich</translation>
    </message>
    <message>
        <source>the prompt is empty</source>
        <translation>der Prompt ist leer</translation>
    </message>
    <message>
        <source>the id is empty</source>
        <translation>die ID ist leer</translation>
    </message>
    <message>
        <source>expected a list of strings</source>
        <translation>eine Liste von Zeichenketten erwartet</translation>
    </message>
    <message>
        <source>expected a list of variants</source>
        <translation>eine Liste von Varianten erwartet</translation>
    </message>
    <message>
        <source>duplicate variant id &quot;%1&quot;</source>
        <translation>doppelte Varianten-ID &quot;%1&quot;</translation>
    </message>
    <message>
        <source>%1: the file is UTF-16; save it as UTF-8</source>
        <translation>%1: Die Datei ist UTF-16-kodiert; speichern Sie sie als UTF-8</translation>
    </message>
    <message>
        <source>Cannot open suite %1: %2</source>
        <translation>Testsuite %1 kann nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <source>expected a whole number of milliseconds above 0</source>
        <translation>erwartet wurde eine ganze Zahl von Millisekunden größer als 0</translation>
    </message>
    <message>
        <source>%1:%2:%3: invalid UTF-8 at byte offset %4 (byte 0x%5); save the file as UTF-8</source>
        <translation>%1:%2:%3: ungültiges UTF-8 bei Byte-Offset %4 (Byte 0x%5); speichern Sie die Datei als UTF-8</translation>
    </message>
    <message>
        <source>%1: the suite is too large (%2 MiB; limit %3 MiB)</source>
        <translation>%1: Die Suite ist zu groß (%2 MiB; Grenze %3 MiB)</translation>
    </message>
    <message>
        <source>expected a non-empty list of tool results</source>
        <translation>erwartet: eine nicht leere Liste von Tool-Ergebnissen</translation>
    </message>
    <message>
        <source>expected an object with a &quot;tool&quot;, a &quot;kind&quot; and a &quot;content&quot;</source>
        <translation>erwartet: ein Objekt mit &quot;tool&quot;, &quot;kind&quot; und &quot;content&quot;</translation>
    </message>
    <message>
        <source>the tool name is empty (use &quot;*&quot; for any tool)</source>
        <translation>der Tool-Name ist leer (&quot;*&quot; für jedes Tool verwenden)</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a kind of tool result (result, error, missing or interrupt)</source>
        <translation>&quot;%1&quot; ist keine Art von Tool-Ergebnis (result, error, missing oder interrupt)</translation>
    </message>
    <message>
        <source>missing (a string, or the JSON the tool returns)</source>
        <translation>fehlt (ein String oder das JSON, das das Tool zurückgibt)</translation>
    </message>
    <message>
        <source>expected a string (what the user says)</source>
        <translation>erwartet: ein String (was der Benutzer sagt)</translation>
    </message>
    <message>
        <source>expected a string, an object or a list</source>
        <translation>erwartet: ein String, ein Objekt oder eine Liste</translation>
    </message>
    <message>
        <source>an interrupt needs what the user says as its content</source>
        <translation>eine Unterbrechung braucht als Inhalt, was der Benutzer sagt</translation>
    </message>
    <message>
        <source>expected a non-empty list of turns</source>
        <translation>erwartet: eine nicht leere Liste von Runden</translation>
    </message>
    <message>
        <source>expected an object with a &quot;user&quot; message</source>
        <translation>erwartet: ein Objekt mit einer &quot;user&quot;-Nachricht</translation>
    </message>
    <message>
        <source>the user message is empty</source>
        <translation>die Benutzernachricht ist leer</translation>
    </message>
    <message>
        <source>expected a whole number from 1 to 100</source>
        <translation>erwartet: eine ganze Zahl von 1 bis 100</translation>
    </message>
    <message>
        <source>expected a list of tools</source>
        <translation>erwartet: eine Liste von Tools</translation>
    </message>
    <message>
        <source>expected an object with a &quot;name&quot;</source>
        <translation>erwartet: ein Objekt mit &quot;name&quot;</translation>
    </message>
    <message>
        <source>the name is empty</source>
        <translation>der Name ist leer</translation>
    </message>
    <message>
        <source>duplicate tool name &quot;%1&quot;</source>
        <translation>doppelter Tool-Name &quot;%1&quot;</translation>
    </message>
    <message>
        <source>expected a JSON Schema object</source>
        <translation>erwartet: ein JSON-Schema-Objekt</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not one of the tools offered</source>
        <translation>&quot;%1&quot; gehört nicht zu den angebotenen Tools</translation>
    </message>
    <message>
        <source>expected true or false</source>
        <translation>true oder false erwartet</translation>
    </message>
    <message>
        <source>the case offers no tools (add &quot;tools&quot; to it or to the defaults)</source>
        <translation>der Fall bietet keine Tools an (fügen Sie &quot;tools&quot; dort oder bei den Standardwerten hinzu)</translation>
    </message>
</context>
<context>
    <name>SuiteWriter</name>
    <message>
        <source>Cannot save the suite to %1: %2</source>
        <translation>Die Suite kann nicht unter %1 gespeichert werden: %2</translation>
    </message>
</context>
<context>
    <name>TextAttachment</name>
    <message>
        <source>&quot;%1&quot; is not a file that can be read.</source>
        <translation>&quot;%1&quot; ist keine lesbare Datei.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is %2; attachments are limited to %3 of text.</source>
        <translation>&quot;%1&quot; ist %2 groß; Anhänge sind auf %3 Text begrenzt.</translation>
    </message>
    <message>
        <source>Cannot read &quot;%1&quot;: %2</source>
        <translation>&quot;%1&quot; kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not plain text (it holds binary data); only text files can be attached.</source>
        <translation>&quot;%1&quot; ist kein Klartext (enthält Binärdaten); nur Textdateien können angehängt werden.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not UTF-8 text; only plain-text files in UTF-8 can be attached.</source>
        <translation>&quot;%1&quot; ist kein UTF-8-Text; nur Klartextdateien in UTF-8 können angehängt werden.</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <source>corrupt timeline blob at byte %1: %2</source>
        <translation>beschädigter Zeitleisten-Blob bei Byte %1: %2</translation>
    </message>
    <message>
        <source>truncated</source>
        <translation>abgeschnitten</translation>
    </message>
    <message>
        <source>integer out of range</source>
        <translation>Ganzzahl außerhalb des Bereichs</translation>
    </message>
    <message>
        <source>not a timeline (bad magic)</source>
        <translation>keine Zeitleiste (falsche Magic-Number)</translation>
    </message>
    <message>
        <source>unsupported version %1</source>
        <translation>nicht unterstützte Version %1</translation>
    </message>
    <message>
        <source>unknown flags 0x%1</source>
        <translation>unbekannte Flags 0x%1</translation>
    </message>
    <message>
        <source>chunk count %1 exceeds the data</source>
        <translation>Anzahl der Blöcke %1 übersteigt die Daten</translation>
    </message>
    <message>
        <source>unknown content kind %1</source>
        <translation>unbekannte Inhaltsart %1</translation>
    </message>
</context>
<context>
    <name>ToolChoice</name>
    <message>
        <source>expected &quot;auto&quot;, &quot;none&quot;, &quot;required&quot; or {&quot;name&quot;: &quot;&lt;tool&gt;&quot;}, not &quot;%1&quot;</source>
        <translation>&quot;auto&quot;, &quot;none&quot;, &quot;required&quot; oder {&quot;name&quot;: &quot;&lt;tool&gt;&quot;} erwartet, nicht &quot;%1&quot;</translation>
    </message>
    <message>
        <source>expected &quot;auto&quot;, &quot;none&quot;, &quot;required&quot; or {&quot;name&quot;: &quot;&lt;tool&gt;&quot;}</source>
        <translation>&quot;auto&quot;, &quot;none&quot;, &quot;required&quot; oder {&quot;name&quot;: &quot;&lt;tool&gt;&quot;} erwartet</translation>
    </message>
    <message>
        <source>unknown field; a forced tool takes only &quot;name&quot;</source>
        <translation>unbekanntes Feld; ein erzwungenes Tool akzeptiert nur &quot;name&quot;</translation>
    </message>
    <message>
        <source>expected the name of an offered tool as a string</source>
        <translation>Name eines angebotenen Tools als String erwartet</translation>
    </message>
    <message>
        <source>the name is empty</source>
        <translation>der Name ist leer</translation>
    </message>
</context>
<context>
    <name>Workspace</name>
    <message>
        <source>%1: a price cannot be negative</source>
        <translation>%1: ein Preis kann nicht negativ sein</translation>
    </message>
    <message>
        <source>%1: expected an object</source>
        <translation>%1: Objekt erwartet</translation>
    </message>
    <message>
        <source>%1: API keys are never read from workspace files; name an environment variable with &quot;api_key_env&quot; or store the key in the keychain</source>
        <translation>%1: API-Schlüssel werden nie aus Arbeitsbereichsdateien gelesen; nennen Sie eine Umgebungsvariable mit &quot;api_key_env&quot; oder speichern Sie den Schlüssel im Schlüsselbund</translation>
    </message>
    <message>
        <source>%1: unknown dialect &quot;%2&quot; (expected openai-chat, openai-responses, anthropic, gemini or ollama)</source>
        <translation>%1: unbekannter Dialekt &quot;%2&quot; (erwartet: openai-chat, openai-responses, anthropic, gemini oder ollama)</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is not an http(s) URL</source>
        <translation>%1: &quot;%2&quot; ist keine http(s)-URL</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is not a colour of the form #rrggbb</source>
        <translation>%1: &quot;%2&quot; ist keine Farbe der Form #rrggbb</translation>
    </message>
    <message>
        <source>%1: temperature must be between 0 and 2</source>
        <translation>%1: die Temperatur muss zwischen 0 und 2 liegen</translation>
    </message>
    <message>
        <source>%1: a workspace must be a JSON object</source>
        <translation>%1: ein Arbeitsbereich muss ein JSON-Objekt sein</translation>
    </message>
    <message>
        <source>%1.id: duplicate provider id &quot;%2&quot;</source>
        <translation>%1.id: doppelte Anbieter-ID &quot;%2&quot;</translation>
    </message>
    <message>
        <source>%1.id: duplicate target id &quot;%2&quot;</source>
        <translation>%1.id: doppelte Ziel-ID &quot;%2&quot;</translation>
    </message>
    <message>
        <source>%1.provider: no provider with id &quot;%2&quot;</source>
        <translation>%1.provider: kein Anbieter mit der ID &quot;%2&quot;</translation>
    </message>
    <message>
        <source>Cannot open workspace %1: %2</source>
        <translation>Arbeitsbereich %1 kann nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <source>%1.id: a provider needs an id</source>
        <translation>%1.id: ein Anbieter braucht eine ID</translation>
    </message>
    <message>
        <source>%1.id: a target needs an id</source>
        <translation>%1.id: ein Ziel braucht eine ID</translation>
    </message>
    <message>
        <source>%1.model: a target needs a model</source>
        <translation>%1.model: ein Ziel braucht ein Modell</translation>
    </message>
    <message>
        <source>%1.params.max_tokens: must be between 1 and %2</source>
        <translation>%1.params.max_tokens: muss zwischen 1 und %2 liegen</translation>
    </message>
    <message>
        <source>No target with id &quot;%1&quot;</source>
        <translation>Kein Ziel mit der ID &quot;%1&quot;</translation>
    </message>
    <message>
        <source>%1: not a proxy URL (expected &quot;none&quot; or http://host:port)</source>
        <translation>%1: keine Proxy-URL (erwartet: &quot;none&quot; oder http://host:port)</translation>
    </message>
    <message>
        <source>%1: proxy credentials are secrets and are not read from workspace files; set them in https_proxy (http://user:password@host:port)</source>
        <translation>%1: Proxy-Zugangsdaten sind Geheimnisse und werden nicht aus Arbeitsbereichsdateien gelesen; setzen Sie sie in https_proxy (http://user:password@host:port)</translation>
    </message>
    <message>
        <source>%1.%2: expected a string, or {&quot;secret&quot;: &quot;NAME&quot;} naming an environment variable or keychain entry that holds the value</source>
        <translation>%1.%2: erwartet wird ein String oder {&quot;secret&quot;: &quot;NAME&quot;}, das eine Umgebungsvariable oder einen Schlüsselbund-Eintrag mit dem Wert benennt</translation>
    </message>
    <message>
        <source>Cannot save the workspace to %1: %2</source>
        <translation>Arbeitsbereich kann nicht in %1 gespeichert werden: %2</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is not a header name (letters, digits and !#$%&amp;&apos;*+-.^_`|~ only)</source>
        <translation>%1: &quot;%2&quot; ist kein Header-Name (nur Buchstaben, Ziffern und !#$%&amp;&apos;*+-.^_`|~)</translation>
    </message>
    <message>
        <source>%1.%2: a header value cannot contain a line break</source>
        <translation>%1.%2: Ein Header-Wert darf keinen Zeilenumbruch enthalten</translation>
    </message>
    <message>
        <source>%1.%2: name the keychain entry or environment variable that holds the value</source>
        <translation>%1.%2: Nennen Sie den Schlüsselbund-Eintrag oder die Umgebungsvariable, die den Wert enthält</translation>
    </message>
    <message>
        <source>%1.%2: is both a plain and a secret header; keep one</source>
        <translation>%1.%2: ist sowohl normaler als auch geheimer Header; behalten Sie einen</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>%1 is larger than 1 MB; expected PEM certificates</source>
        <translation>%1 ist größer als 1 MB; PEM-Zertifikate erwartet</translation>
    </message>
    <message>
        <source>%1 holds no PEM certificate</source>
        <translation>%1 enthält kein PEM-Zertifikat</translation>
    </message>
    <message>
        <source>%1: an empty entry</source>
        <translation>%1: ein leerer Eintrag</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is one host, suffix, address or block (no spaces or commas)</source>
        <translation>%1: &quot;%2&quot; ist ein einzelner Host, Suffix, eine Adresse oder ein Block (keine Leerzeichen oder Kommas)</translation>
    </message>
    <message>
        <source>%1: expected a string</source>
        <translation>%1: Zeichenkette erwartet</translation>
    </message>
</context>
<context>
    <name>cli</name>
    <message>
        <source>%1: %2 provider(s), %3 target(s)</source>
        <translation>%1: %2 Anbieter, %3 Ziel(e)</translation>
    </message>
    <message>
        <source>Unknown command &quot;%1&quot;.</source>
        <translation>Unbekannter Befehl &quot;%1&quot;.</translation>
    </message>
    <message>
        <source>Runs the Slopscope provider simulator: simulated OpenAI, Anthropic, Gemini and Ollama endpoints on one port. Every model it serves is simulated.</source>
        <translation>Startet den Anbieter-Simulator von Slopscope: simulierte Endpunkte für OpenAI, Anthropic, Gemini und Ollama auf einem Port. Jedes bereitgestellte Modell ist simuliert.</translation>
    </message>
    <message>
        <source>TCP port (0 picks a free one).</source>
        <translation>TCP-Port (0 wählt einen freien).</translation>
    </message>
    <message>
        <source>N</source>
        <translation>N</translation>
    </message>
    <message>
        <source>Personas file instead of the bundled lineup.</source>
        <translation>Persona-Datei anstelle der mitgelieferten Auswahl.</translation>
    </message>
    <message>
        <source>FILE</source>
        <translation>DATEI</translation>
    </message>
    <message>
        <source>Also recognise the cases of this suite file.</source>
        <translation>Auch die Fälle dieser Testsuite-Datei erkennen.</translation>
    </message>
    <message>
        <source>Append one JSON line of ground truth per request.</source>
        <translation>Pro Anfrage eine JSON-Zeile mit der Ground Truth anhängen.</translation>
    </message>
    <message>
        <source>Address to listen on (default 127.0.0.1; anything else is exposed).</source>
        <translation>Adresse, auf der gelauscht wird (Standard: 127.0.0.1; jede andere ist von außen erreichbar).</translation>
    </message>
    <message>
        <source>ADDR</source>
        <translation>ADRESSE</translation>
    </message>
    <message>
        <source>Switch off the personas&apos; random faults (x-sim-fault still works).</source>
        <translation>Die zufälligen Störungen der Personas abschalten (x-sim-fault funktioniert weiterhin).</translation>
    </message>
    <message>
        <source>--port: &quot;%1&quot; is not a port number.</source>
        <translation>--port: &quot;%1&quot; ist keine Portnummer.</translation>
    </message>
    <message>
        <source>--listen: &quot;%1&quot; is not an IP address.</source>
        <translation>--listen: &quot;%1&quot; ist keine IP-Adresse.</translation>
    </message>
    <message>
        <source>Warning: listening on %1, not on loopback: anyone who can reach this address can use the simulator.</source>
        <translation>Warnung: Es wird auf %1 gelauscht, nicht auf Loopback: Jeder, der diese Adresse erreicht, kann den Simulator nutzen.</translation>
    </message>
    <message>
        <source>Cannot listen on %1:%2: %3</source>
        <translation>Auf %1:%2 kann nicht gelauscht werden: %3</translation>
    </message>
    <message>
        <source>Slopscope simulator listening on http://%1:%2 (%3 simulated models)</source>
        <translation>Slopscope-Simulator lauscht auf http://%1:%2 (%3 simulierte Modelle)</translation>
    </message>
    <message>
        <source>Simulator stopped.</source>
        <translation>Simulator angehalten.</translation>
    </message>
    <message>
        <source>Usage: slopscope-cli [--version] [--help] [--trace] &lt;command&gt; [options]
Commands:
  check-workspace FILE   validate a workspace file and list its targets
  run --demo | --workspace FILE [--suite NAME|FILE] [--targets ID,ID] [--repeat K]
      [--concurrency N] [--variants] [--seed S] [--max-cost USD] [--retry-truncated] [--no-preconnect]
      [--fail-under quality=0.8] [--shard I/N] [--judge TARGET] [--db FILE | --no-db]
      [--jsonl FILE] [--summary FILE.json] [--report FILE.html|.pdf|.md]...
      [--chart FILE.png|.svg|.pdf]... [--csv FILE]
                         run a suite, record it, print one line per target
  resume RUN_ID [--db FILE] [--workspace FILE] [outputs]
                         send only what an interrupted run is missing
  report RUN_ID [--db FILE] [outputs]
                         write a recorded run&apos;s reports from the database
  runs [--db FILE]        list the recorded runs: id, start, state, answers, cost
  merge DB... --db FILE   join databases (a CI matrix&apos;s shards) into one
  import promptfoo|csv|jsonl FILE --out SUITE.json
                         convert a promptfoo config, CSV or chat log to a suite
  keys set NAME | keys remove NAME | keys status [--workspace FILE | --demo] [NAME...]
                         API keys in the system keychain (set reads the key from stdin)
  keys allow-host NAME HOST
                         let a stored key go to another host (asked for in the app)
  sim [--port N] [--personas FILE] [--log FILE] [--listen ADDR]
                         run the provider simulator (every model simulated)
--trace logs each request (credentials shown as ***) and the scheduler&apos;s decisions to
stderr; QT_LOGGING_RULES=&quot;slopscope.net.debug=true&quot; does the same for one category.
Exit codes of run: 0 ok, 1 a --fail-under or --max-cost gate failed, 2 bad usage or
input, 3 the run could not complete. &apos;slopscope-cli run --help&apos; lists every option.
</source>
        <translation>Aufruf: slopscope-cli [--version] [--help] [--trace] &lt;command&gt; [options]
Befehle:
  check-workspace FILE   Arbeitsbereichsdatei prüfen und ihre Ziele auflisten
  run --demo | --workspace FILE [--suite NAME|FILE] [--targets ID,ID] [--repeat K]
      [--concurrency N] [--variants] [--seed S] [--max-cost USD] [--retry-truncated] [--no-preconnect]
      [--fail-under quality=0.8] [--shard I/N] [--judge TARGET] [--db FILE | --no-db]
      [--jsonl FILE] [--summary FILE.json] [--report FILE.html|.pdf|.md]...
      [--chart FILE.png|.svg|.pdf]... [--csv FILE]
                         Suite ausführen, aufzeichnen, eine Zeile pro Ziel ausgeben
  resume RUN_ID [--db FILE] [--workspace FILE] [outputs]
                         nur senden, was einem unterbrochenen Lauf fehlt
  report RUN_ID [--db FILE] [outputs]
                         Berichte eines aufgezeichneten Laufs aus der Datenbank schreiben
  runs [--db FILE]        aufgezeichnete Läufe auflisten: ID, Start, Status, Antworten, Kosten
  merge DB... --db FILE   Datenbanken (Shards einer CI-Matrix) zu einer zusammenführen
  import promptfoo|csv|jsonl FILE --out SUITE.json
                         promptfoo-Konfiguration, CSV oder Chat-Log in eine Suite umwandeln
  keys set NAME | keys remove NAME | keys status [--workspace FILE | --demo] [NAME...]
                         API-Schlüssel im System-Schlüsselbund (set liest den Schlüssel von stdin)
  keys allow-host NAME HOST
                         gespeicherten Schlüssel an einen anderen Host senden lassen (Nachfrage in der App)
  sim [--port N] [--personas FILE] [--log FILE] [--listen ADDR]
                         Anbieter-Simulator starten (alle Modelle simuliert)
--trace protokolliert jede Anfrage (Zugangsdaten als ***) und die Entscheidungen des
Schedulers nach stderr; QT_LOGGING_RULES=&quot;slopscope.net.debug=true&quot; tut dasselbe für eine Kategorie.
Exit-Codes von run: 0 OK, 1 eine --fail-under- oder --max-cost-Schwelle verfehlt, 2 falscher
Aufruf oder Eingabe, 3 der Lauf konnte nicht abgeschlossen werden. &apos;slopscope-cli run --help&apos; listet alle Optionen.
</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Slopscope workbench</source>
        <translation>Slopscope-Werkbank</translation>
    </message>
    <message>
        <source>Open this workspace file (&quot;demo&quot; for the bundled demo).</source>
        <translation>Diese Arbeitsbereichsdatei öffnen (&quot;demo&quot; für die mitgelieferte Demo).</translation>
    </message>
    <message>
        <source>file</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>Open the main window, check it, and quit.</source>
        <translation>Das Hauptfenster öffnen, prüfen und die Anwendung beenden.</translation>
    </message>
    <message>
        <source>Save a PNG of the main window after it settles, then quit.</source>
        <translation>Ein PNG des Hauptfensters speichern, sobald es sich stabilisiert hat, dann beenden.</translation>
    </message>
    <message>
        <source>Start a run of the selected suite at once.</source>
        <translation>Sofort einen Lauf der ausgewählten Testsuite starten.</translation>
    </message>
    <message>
        <source>Milliseconds to wait before the screenshot (default 1500).</source>
        <translation>Wartezeit in Millisekunden vor dem Bildschirmfoto (Standard: 1500).</translation>
    </message>
    <message>
        <source>ms</source>
        <translation>ms</translation>
    </message>
    <message>
        <source>page</source>
        <translation>Seite</translation>
    </message>
    <message>
        <source>Record runs in this history database (default: the user&apos;s).</source>
        <translation>Läufe in dieser Verlaufsdatenbank aufzeichnen (Standard: die des Benutzers).</translation>
    </message>
    <message>
        <source>Do not record runs.</source>
        <translation>Läufe nicht aufzeichnen.</translation>
    </message>
    <message>
        <source>Cannot open workspace</source>
        <translation>Arbeitsbereich kann nicht geöffnet werden</translation>
    </message>
    <message>
        <source>Show this run of the history (its id) instead of an empty window.</source>
        <translation>Diesen Lauf des Verlaufs (seine ID) statt eines leeren Fensters anzeigen.</translation>
    </message>
    <message>
        <source>run-id</source>
        <translation>Lauf-ID</translation>
    </message>
    <message>
        <source>Load this routing policy file: its policies are replayed over each run and drawn on the quadrant.</source>
        <translation>Diese Routing-Richtliniendatei laden: Ihre Richtlinien werden über jeden Lauf nachgespielt und im Quadrantendiagramm gezeichnet.</translation>
    </message>
    <message>
        <source>Use this theme for this start only: system, light or dark.</source>
        <translation>Dieses Design nur für diesen Start verwenden: system, light oder dark.</translation>
    </message>
    <message>
        <source>theme</source>
        <translation>Design</translation>
    </message>
    <message>
        <source>Slopscope is already running (pid %1); its window was brought to the front.</source>
        <translation>Slopscope läuft bereits (PID %1); sein Fenster wurde in den Vordergrund geholt.</translation>
    </message>
    <message>
        <source>Slopscope is already running (pid %1) with %2.</source>
        <translation>Slopscope läuft bereits (PID %1) mit %2.</translation>
    </message>
    <message>
        <source>Send this prompt in Quick Compare to the checked targets; repeat it for a chat, each sent once the previous one is answered.</source>
        <translation>Diesen Prompt im Schnellvergleich an die markierten Ziele senden; für einen Chat wiederholen, wobei jeder gesendet wird, sobald der vorherige beantwortet ist.</translation>
    </message>
    <message>
        <source>text</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>The history holds fewer than two runs.</source>
        <translation>Der Verlauf enthält weniger als zwei Läufe.</translation>
    </message>
    <message>
        <source>Show a results page large: results (the matrix), leaderboard, diff or disagreements; routing opens Run ▸ Routing Policies; quadrant saves the screenshot as the chart export; settings, providers and appearance open Settings ▸ Preferences… on that page; suite brings the Suite panel to the front; quick opens View ▸ Quick Compare; drift opens File ▸ Drift…; compare compares the newest runs of the history (up to four); arena opens Run ▸ Blind Arena over the run on show (with --run, once it ends).</source>
        <translation>Eine Ergebnisseite groß anzeigen: results (die Matrix), leaderboard, diff oder disagreements; routing öffnet Lauf ▸ Routing-Richtlinien; quadrant speichert den Screenshot als Diagrammexport; settings, providers und appearance öffnen Einstellungen ▸ Präferenzen… auf dieser Seite; suite holt das Suite-Panel nach vorn; quick öffnet Ansicht ▸ Schnellvergleich; drift öffnet Datei ▸ Drift…; compare vergleicht die neuesten Läufe des Verlaufs (bis zu vier); arena öffnet Lauf ▸ Blinde Arena über den angezeigten Lauf (mit --run, sobald er endet).</translation>
    </message>
    <message>
        <source>Unknown view %1: use results, leaderboard, diff, disagreements, routing, quadrant, suite, settings, providers, appearance, quick, drift, compare or arena.</source>
        <translation>Unbekannte Ansicht %1: Verwenden Sie results, leaderboard, diff, disagreements, routing, quadrant, suite, settings, providers, appearance, quick, drift, compare oder arena.</translation>
    </message>
    <message>
        <source>Log each request (credentials shown as ***) and the scheduler&apos;s decisions to stderr.</source>
        <translation>Jede Anfrage (Zugangsdaten als *** angezeigt) und die Entscheidungen des Schedulers nach stderr protokollieren.</translation>
    </message>
</context>
</TS>
