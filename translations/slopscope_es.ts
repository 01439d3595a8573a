<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es">
<context>
    <name>BestPick</name>
    <message>
        <source>no answers to pick from</source>
        <translation>no hay respuestas entre las que elegir</translation>
    </message>
    <message>
        <source>the judge&apos;s answer is empty</source>
        <translation>la respuesta del juez está vacía</translation>
    </message>
    <message>
        <source>the judge&apos;s answer is too long (%1 characters)</source>
        <translation>la respuesta del juez es demasiado larga (%1 caracteres)</translation>
    </message>
    <message>
        <source>no JSON verdict in the judge&apos;s answer (&quot;%1&quot;)</source>
        <translation>no hay ningún veredicto JSON en la respuesta del juez (&quot;%1&quot;)</translation>
    </message>
    <message>
        <source>the verdict names no best answer</source>
        <translation>el veredicto no indica cuál es la mejor respuesta</translation>
    </message>
    <message>
        <source>the verdict&apos;s best is not a label (%1)</source>
        <translation>el campo best del veredicto no es una etiqueta (%1)</translation>
    </message>
    <message>
        <source>the verdict&apos;s best &quot;%1&quot; is not one of the labels shown (A to %2)</source>
        <translation>el campo best del veredicto, &quot;%1&quot;, no es ninguna de las etiquetas mostradas (de A a %2)</translation>
    </message>
    <message>
        <source>the verdict&apos;s reason is not a string</source>
        <translation>el campo reason del veredicto no es una cadena</translation>
    </message>
</context>
<context>
    <name>CellCodec</name>
    <message>
        <source>its chunk timeline: %1</source>
        <translation>su cronología de fragmentos: %1</translation>
    </message>
    <message>
        <source>its chain turns are not valid JSON</source>
        <translation>sus turnos de cadena no son JSON válido</translation>
    </message>
    <message>
        <source>its thoughts are not valid JSON</source>
        <translation>sus pensamientos no son JSON válido</translation>
    </message>
</context>
<context>
    <name>ChainTranscript</name>
    <message>
        <source>Tool result (unknown tool)</source>
        <translation>Resultado de herramienta (herramienta desconocida)</translation>
    </message>
    <message>
        <source>Tool result</source>
        <translation>Resultado de herramienta</translation>
    </message>
    <message>
        <source>Tool result (failure)</source>
        <translation>Resultado de herramienta (fallo)</translation>
    </message>
    <message>
        <source>Tool result (missing information)</source>
        <translation>Resultado de herramienta (falta información)</translation>
    </message>
    <message>
        <source>Tool result (interrupted)</source>
        <translation>Resultado de herramienta (interrumpido)</translation>
    </message>
    <message>
        <source>passed</source>
        <translation>superado</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fallido</translation>
    </message>
    <message>
        <source>Turn %1</source>
        <translation>Turno %1</translation>
    </message>
    <message>
        <source>%1 · score %2%</source>
        <translation>%1 · puntuación %2%</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Usuario</translation>
    </message>
    <message>
        <source>Tool call</source>
        <translation>Llamada a herramienta</translation>
    </message>
    <message>
        <source>(the call was cancelled)</source>
        <translation>(la llamada se canceló)</translation>
    </message>
    <message>
        <source>User (interjects)</source>
        <translation>Usuario (interviene)</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Detenido</translation>
    </message>
    <message>
        <source>the model kept calling tools past the round cap</source>
        <translation>el modelo siguió llamando a herramientas más allá del límite de rondas</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>Asistente</translation>
    </message>
    <message>
        <source>Waiting for judge</source>
        <translation>Esperando al juez</translation>
    </message>
    <message>
        <source>Failed check</source>
        <translation>Comprobación fallida</translation>
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
        <translation>%1/%2 completados, %3 gastados, %4 transcurridos, tiempo restante estimado %5</translation>
    </message>
</context>
<context>
    <name>CodeSandbox</name>
    <message>
        <source>the interpreter must be a name or an absolute path, not &quot;%1&quot;</source>
        <translation>el intérprete debe ser un nombre o una ruta absoluta, no &quot;%1&quot;</translation>
    </message>
    <message>
        <source>the interpreter &quot;%1&quot; was not found</source>
        <translation>no se encontró el intérprete &quot;%1&quot;</translation>
    </message>
    <message>
        <source>the interpreter %1 is outside /usr, where the sandbox cannot see it</source>
        <translation>el intérprete %1 está fuera de /usr, donde el entorno aislado no puede verlo</translation>
    </message>
    <message>
        <source>a code-tests check needs tests (the assertion&apos;s value)</source>
        <translation>una comprobación code-tests necesita pruebas (el valor de la aserción)</translation>
    </message>
    <message>
        <source>code-tests need bubblewrap (Debian: apt install bubblewrap) or an explicit opt-in to run generated code unsandboxed</source>
        <translation>code-tests necesita bubblewrap (Debian: apt install bubblewrap) o una autorización explícita para ejecutar el código generado sin aislamiento</translation>
    </message>
    <message>
        <source>could not write the code to a temporary directory</source>
        <translation>no se pudo escribir el código en un directorio temporal</translation>
    </message>
    <message>
        <source>could not start %1: %2</source>
        <translation>no se pudo iniciar %1: %2</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>cancelado</translation>
    </message>
    <message>
        <source> (unsandboxed)</source>
        <translation> (sin aislamiento)</translation>
    </message>
    <message>
        <source>timed out after %1 s%2</source>
        <translation>tiempo agotado tras %1 s%2</translation>
    </message>
    <message>
        <source>the sandbox did not start%1</source>
        <translation>el entorno aislado no se inició%1</translation>
    </message>
    <message>
        <source>the tests passed and report a score of %1%2</source>
        <translation>las pruebas pasaron e informan una puntuación de %1%2</translation>
    </message>
    <message>
        <source>the tests passed%1</source>
        <translation>las pruebas pasaron%1</translation>
    </message>
    <message>
        <source>the tests crashed</source>
        <translation>las pruebas se cerraron inesperadamente</translation>
    </message>
    <message>
        <source>the tests were killed by signal %1</source>
        <translation>las pruebas fueron terminadas por la señal %1</translation>
    </message>
    <message>
        <source>the tests failed (exit code %1)</source>
        <translation>las pruebas fallaron (código de salida %1)</translation>
    </message>
</context>
<context>
    <name>CoreDumps</name>
    <message>
        <source>Could not turn off core dumps: %1</source>
        <translation>No se pudieron desactivar los volcados de memoria: %1</translation>
    </message>
    <message>
        <source>Could not make the process non-dumpable: %1</source>
        <translation>No se pudo marcar el proceso como no volcable: %1</translation>
    </message>
</context>
<context>
    <name>CostCalculator</name>
    <message>
        <source>usage not reported</source>
        <translation>uso no informado</translation>
    </message>
    <message>
        <source>output token count not reported</source>
        <translation>recuento de tokens de salida no informado</translation>
    </message>
    <message>
        <source>input token count not reported</source>
        <translation>recuento de tokens de entrada no informado</translation>
    </message>
    <message>
        <source>inconsistent usage: negative token count</source>
        <translation>uso incoherente: recuento de tokens negativo</translation>
    </message>
    <message>
        <source>inconsistent usage: cached and cache-write tokens exceed input tokens</source>
        <translation>uso incoherente: los tokens en caché y de escritura en caché superan los tokens de entrada</translation>
    </message>
    <message>
        <source>inconsistent usage: reasoning tokens exceed output tokens</source>
        <translation>uso incoherente: los tokens de razonamiento superan los tokens de salida</translation>
    </message>
    <message>
        <source>input tokens</source>
        <translation>tokens de entrada</translation>
    </message>
    <message>
        <source>cached input tokens</source>
        <translation>tokens de entrada en caché</translation>
    </message>
    <message>
        <source>cache-write tokens</source>
        <translation>tokens de escritura en caché</translation>
    </message>
    <message>
        <source>output tokens</source>
        <translation>tokens de salida</translation>
    </message>
    <message>
        <source>no price for %1</source>
        <translation>sin precio para %1</translation>
    </message>
</context>
<context>
    <name>CsvImporter</name>
    <message>
        <source>unexpected character after a closing quote (a quote inside a quoted field is written as two quotes)</source>
        <translation>carácter inesperado tras unas comillas de cierre (unas comillas dentro de un campo entrecomillado se escriben como dos comillas)</translation>
    </message>
    <message>
        <source>a quote inside an unquoted field (quote the whole field and double the quote)</source>
        <translation>comillas dentro de un campo sin entrecomillar (entrecomille todo el campo y duplique las comillas)</translation>
    </message>
    <message>
        <source>the quoted field opened here is never closed</source>
        <translation>el campo entrecomillado que se abre aquí no se cierra nunca</translation>
    </message>
    <message>
        <source>%1: the file is empty (a header row with a &quot;prompt&quot; column is required)</source>
        <translation>%1: el archivo está vacío (se requiere una fila de cabecera con una columna &quot;prompt&quot;)</translation>
    </message>
    <message>
        <source>column %1 has no name</source>
        <translation>la columna %1 no tiene nombre</translation>
    </message>
    <message>
        <source>the column &quot;%1&quot; appears twice</source>
        <translation>la columna &quot;%1&quot; aparece dos veces</translation>
    </message>
    <message>
        <source>no &quot;prompt&quot; column (the header has: %1)</source>
        <translation>no hay ninguna columna &quot;prompt&quot; (la cabecera tiene: %1)</translation>
    </message>
    <message>
        <source>Imported from %1</source>
        <translation>Importado de %1</translation>
    </message>
    <message>
        <source>%1 field(s), but the header has %2</source>
        <translation>%1 campo(s), pero la cabecera tiene %2</translation>
    </message>
    <message>
        <source>id: the id is empty</source>
        <translation>id: el id está vacío</translation>
    </message>
    <message>
        <source>id: duplicate case id &quot;%1&quot;</source>
        <translation>id: id de caso duplicado &quot;%1&quot;</translation>
    </message>
    <message>
        <source>prompt: the prompt is empty</source>
        <translation>prompt: la instrucción está vacía</translation>
    </message>
    <message>
        <source>prompt: unknown variable {{%1}} (no column of that name)</source>
        <translation>prompt: variable desconocida {{%1}} (no hay ninguna columna con ese nombre)</translation>
    </message>
    <message>
        <source>the file has a header but no cases</source>
        <translation>el archivo tiene cabecera pero ningún caso</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>No se puede abrir %1: %2</translation>
    </message>
    <message>
        <source>%1: the file is too large (the limit is %2 MiB)</source>
        <translation>%1: el archivo es demasiado grande (el límite es de %2 MiB)</translation>
    </message>
</context>
<context>
    <name>Disagreement</name>
    <message>
        <source>Number</source>
        <translation>Número</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Fecha</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
</context>
<context>
    <name>EmbeddedSimulator</name>
    <message>
        <source>The simulator cannot listen on 127.0.0.1: %1</source>
        <translation>El simulador no puede escuchar en 127.0.0.1: %1</translation>
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
        <translation>No se puede resolver %1</translation>
    </message>
    <message>
        <source>Connection refused by %1 — is the server running?</source>
        <translation>%1 rechazó la conexión — ¿está en marcha el servidor?</translation>
    </message>
    <message>
        <source>%1 closed the connection</source>
        <translation>%1 cerró la conexión</translation>
    </message>
    <message>
        <source>TLS handshake with %1 failed</source>
        <translation>Falló la negociación TLS con %1</translation>
    </message>
    <message>
        <source>TLS certificate not trusted: %1</source>
        <translation>Certificado TLS no fiable: %1</translation>
    </message>
    <message>
        <source>The network is not available</source>
        <translation>La red no está disponible</translation>
    </message>
    <message>
        <source>The proxy refused the connection to %1</source>
        <translation>El proxy rechazó la conexión con %1</translation>
    </message>
    <message>
        <source>The proxy closed the connection to %1</source>
        <translation>El proxy cerró la conexión con %1</translation>
    </message>
    <message>
        <source>Cannot resolve the proxy for %1</source>
        <translation>No se puede resolver el proxy para %1</translation>
    </message>
    <message>
        <source>The proxy for %1 did not answer in time</source>
        <translation>El proxy para %1 no respondió a tiempo</translation>
    </message>
    <message>
        <source>The proxy for %1 requires authentication</source>
        <translation>El proxy para %1 requiere autenticación</translation>
    </message>
    <message>
        <source>Malformed HTTP response from %1</source>
        <translation>Respuesta HTTP mal formada de %1</translation>
    </message>
    <message>
        <source>timed out talking to %1</source>
        <translation>tiempo de espera agotado al comunicarse con %1</translation>
    </message>
    <message>
        <source>Network error talking to %1 (code %2)</source>
        <translation>Error de red al comunicarse con %1 (código %2)</translation>
    </message>
    <message>
        <source>Network error talking to %1: %2</source>
        <translation>Error de red al comunicarse con %1: %2</translation>
    </message>
    <message>
        <source>timed out: could not connect to %1 within %2</source>
        <translation>tiempo agotado: no se pudo conectar con %1 en %2</translation>
    </message>
    <message>
        <source>timed out: %1 sent no response within %2</source>
        <translation>tiempo agotado: %1 no envió ninguna respuesta en %2</translation>
    </message>
    <message>
        <source>timed out: no content within %1 of sending the request</source>
        <translation>tiempo agotado: ningún contenido en los %1 posteriores al envío de la solicitud</translation>
    </message>
    <message>
        <source>timed out: no data for %1</source>
        <translation>tiempo agotado: sin datos durante %1</translation>
    </message>
    <message>
        <source>timed out: no new content for %1 (only keep-alives)</source>
        <translation>tiempo agotado: sin contenido nuevo durante %1 (solo señales keep-alive)</translation>
    </message>
    <message>
        <source>timed out (deadline): no complete answer after %1</source>
        <translation>tiempo agotado (plazo límite): ninguna respuesta completa tras %1</translation>
    </message>
    <message>
        <source>timed out after %1</source>
        <translation>tiempo agotado tras %1</translation>
    </message>
    <message>
        <source>Connection refused by %1 — is Ollama running? Start it with “ollama serve”.</source>
        <translation>%1 rechazó la conexión — ¿se está ejecutando Ollama? Inícielo con “ollama serve”.</translation>
    </message>
    <message>
        <source>Connection refused by %1 — is %2 running?</source>
        <translation>%1 rechazó la conexión — ¿se está ejecutando %2?</translation>
    </message>
    <message>
        <source>blocked by the provider&apos;s safety filter (%1)</source>
        <translation>bloqueado por el filtro de seguridad del proveedor (%1)</translation>
    </message>
    <message>
        <source>no content type</source>
        <translation>sin tipo de contenido</translation>
    </message>
    <message>
        <source>Unexpected response (%1) from %2</source>
        <translation>Respuesta inesperada (%1) de %2</translation>
    </message>
    <message>
        <source>Unexpected response (%1) from %2: %3</source>
        <translation>Respuesta inesperada (%1) de %2: %3</translation>
    </message>
    <message>
        <source>The prompt is longer than the model&apos;s context window; shorten it or pick a model with a longer context (%1)</source>
        <translation>El prompt es más largo que la ventana de contexto del modelo; acórtelo o elija un modelo con un contexto más largo (%1)</translation>
    </message>
</context>
<context>
    <name>Grader</name>
    <message>
        <source>the assertion&apos;s value is not a JSON schema</source>
        <translation>el valor de la aserción no es un esquema JSON</translation>
    </message>
    <message>
        <source> (not checked: %1)</source>
        <translation> (sin comprobar: %1)</translation>
    </message>
    <message>
        <source>%1 matches the schema%2</source>
        <translation>%1 cumple el esquema%2</translation>
    </message>
    <message>
        <source>%1 does not match the schema: %2</source>
        <translation>%1 no cumple el esquema: %2</translation>
    </message>
    <message>
        <source> (read from the answer text)</source>
        <translation> (leído del texto de la respuesta)</translation>
    </message>
    <message>
        <source>no tool call in the answer</source>
        <translation>no hay ninguna llamada a herramienta en la respuesta</translation>
    </message>
    <message>
        <source>the assertion&apos;s value lists no tool definitions</source>
        <translation>el valor de la aserción no enumera ninguna definición de herramienta</translation>
    </message>
    <message>
        <source>a tool call has no name%1</source>
        <translation>una llamada a herramienta no tiene nombre%1</translation>
    </message>
    <message>
        <source>the arguments of %1 are not a JSON object%2</source>
        <translation>los argumentos de %1 no son un objeto JSON%2</translation>
    </message>
    <message>
        <source>%1 is not one of the tools offered (%2)</source>
        <translation>%1 no es una de las herramientas ofrecidas (%2)</translation>
    </message>
    <message>
        <source>the arguments of %1 do not match its parameters: %2</source>
        <translation>los argumentos de %1 no coinciden con sus parámetros: %2</translation>
    </message>
    <message>
        <source>the assertion names no tool call to expect</source>
        <translation>la aserción no indica ninguna llamada a herramienta esperada</translation>
    </message>
    <message>
        <source>expected a tool name or {&quot;name&quot;, &quot;arguments&quot;} in the assertion&apos;s value</source>
        <translation>se esperaba un nombre de herramienta o {&quot;name&quot;, &quot;arguments&quot;} en el valor de la aserción</translation>
    </message>
    <message>
        <source>%1 was called with other arguments than %2</source>
        <translation>%1 se llamó con argumentos distintos de %2</translation>
    </message>
    <message>
        <source>no call of %1</source>
        <translation>ninguna llamada a %1</translation>
    </message>
    <message>
        <source>%1 of %2 expected tool call(s) made</source>
        <translation>realizadas %1 de %2 llamadas a herramientas esperadas</translation>
    </message>
    <message>
        <source>%1 of %2 expected tool call(s) made; %3</source>
        <translation>realizadas %1 de %2 llamadas a herramientas esperadas; %3</translation>
    </message>
    <message>
        <source>expected JSON equal to %1</source>
        <translation>se esperaba un JSON igual a %1</translation>
    </message>
    <message>
        <source>expected exactly &quot;%1&quot;</source>
        <translation>se esperaba exactamente &quot;%1&quot;</translation>
    </message>
    <message>
        <source>expected to contain &quot;%1&quot;</source>
        <translation>se esperaba que contuviera &quot;%1&quot;</translation>
    </message>
    <message>
        <source>expected to contain &quot;%1&quot; (any case)</source>
        <translation>se esperaba que contuviera &quot;%1&quot; (sin distinguir mayúsculas)</translation>
    </message>
    <message>
        <source>expected not to contain &quot;%1&quot;</source>
        <translation>se esperaba que no contuviera &quot;%1&quot;</translation>
    </message>
    <message>
        <source>expected to start with &quot;%1&quot;</source>
        <translation>se esperaba que empezara por &quot;%1&quot;</translation>
    </message>
    <message>
        <source>expected to end with &quot;%1&quot;</source>
        <translation>se esperaba que terminara en &quot;%1&quot;</translation>
    </message>
    <message>
        <source>%1 of %2 expected phrases found</source>
        <translation>encontradas %1 de %2 frases esperadas</translation>
    </message>
    <message>
        <source>invalid regular expression: %1</source>
        <translation>expresión regular no válida: %1</translation>
    </message>
    <message>
        <source>expected to match /%1/</source>
        <translation>se esperaba que coincidiera con /%1/</translation>
    </message>
    <message>
        <source>expected the whole answer to be JSON</source>
        <translation>se esperaba que toda la respuesta fuera JSON</translation>
    </message>
    <message>
        <source>the answer is JSON</source>
        <translation>la respuesta es JSON</translation>
    </message>
    <message>
        <source>the answer</source>
        <translation>la respuesta</translation>
    </message>
    <message>
        <source>expected a JSON value in the answer</source>
        <translation>se esperaba un valor JSON en la respuesta</translation>
    </message>
    <message>
        <source>the answer contains JSON</source>
        <translation>la respuesta contiene JSON</translation>
    </message>
    <message>
        <source>the JSON in the answer</source>
        <translation>el JSON de la respuesta</translation>
    </message>
    <message>
        <source>edit distance at least %1 (at most %2)</source>
        <translation>distancia de edición de al menos %1 (como máximo %2)</translation>
    </message>
    <message>
        <source>edit distance %1 (at most %2)</source>
        <translation>distancia de edición %1 (como máximo %2)</translation>
    </message>
    <message>
        <source>%1 words (%2 to %3)</source>
        <translation>%1 palabras (de %2 a %3)</translation>
    </message>
    <message>
        <source>the assertion gives no word count (a number or {&quot;min&quot;, &quot;max&quot;})</source>
        <translation>la aserción no indica ningún número de palabras (un número o {&quot;min&quot;, &quot;max&quot;})</translation>
    </message>
    <message>
        <source>%1 words (expected %2)</source>
        <translation>%1 palabras (se esperaban %2)</translation>
    </message>
    <message>
        <source>the %1 assertion needs a threshold</source>
        <translation>la aserción %1 necesita un umbral</translation>
    </message>
    <message>
        <source>latency was not measured</source>
        <translation>no se midió la latencia</translation>
    </message>
    <message>
        <source>cost is unknown</source>
        <translation>el coste es desconocido</translation>
    </message>
    <message>
        <source>%1 ms (at most %2 ms)</source>
        <translation>%1 ms (como máximo %2 ms)</translation>
    </message>
    <message>
        <source>$%1 (at most $%2)</source>
        <translation>$%1 (como máximo $%2)</translation>
    </message>
    <message>
        <source>the assertion gives no number to compare with</source>
        <translation>la aserción no indica ningún número con el que comparar</translation>
    </message>
    <message>
        <source>no number in the answer (expected %1)</source>
        <translation>no hay ningún número en la respuesta (se esperaba %1)</translation>
    </message>
    <message>
        <source>found %1, expected %2 ± %3</source>
        <translation>se encontró %1, se esperaba %2 ± %3</translation>
    </message>
    <message>
        <source>unknown grader &quot;%1&quot;: this check cannot be graded</source>
        <translation>evaluador desconocido &quot;%1&quot;: esta comprobación no se puede calificar</translation>
    </message>
    <message>
        <source>waiting for a judge</source>
        <translation>esperando a un juez</translation>
    </message>
    <message>
        <source>not: %1</source>
        <translation>no: %1</translation>
    </message>
    <message>
        <source>waiting for the code tests</source>
        <translation>esperando las pruebas de código</translation>
    </message>
    <message>
        <source>no code block in the answer</source>
        <translation>no hay bloque de código en la respuesta</translation>
    </message>
</context>
<context>
    <name>HistoryCommands</name>
    <message>
        <source>Send the cells an interrupted or cancelled run is missing, into that run.</source>
        <translation>Enviar a una ejecución interrumpida o cancelada las celdas que le faltan, dentro de esa misma ejecución.</translation>
    </message>
    <message>
        <source>Workspace with the run&apos;s providers (keys are never stored).</source>
        <translation>Espacio de trabajo con los proveedores de la ejecución (las claves nunca se guardan).</translation>
    </message>
    <message>
        <source>file</source>
        <translation>archivo</translation>
    </message>
    <message>
        <source>The run used the demo workspace.</source>
        <translation>La ejecución usó el espacio de trabajo de demostración.</translation>
    </message>
    <message>
        <source>As for run. May be repeated.</source>
        <translation>Igual que en run. Puede repetirse.</translation>
    </message>
    <message>
        <source>gate</source>
        <translation>condición</translation>
    </message>
    <message>
        <source>Give the id of the run to resume (slopscope-cli resume RUN_ID).</source>
        <translation>Indique el id de la ejecución que reanudar (slopscope-cli resume ID_EJECUCIÓN).</translation>
    </message>
    <message>
        <source>resume continues a run of the history: it needs a database, not --no-db.</source>
        <translation>resume continúa una ejecución del historial: necesita una base de datos, no --no-db.</translation>
    </message>
    <message>
        <source>Run %1 completed; there is nothing to resume.</source>
        <translation>La ejecución %1 se completó; no hay nada que reanudar.</translation>
    </message>
    <message>
        <source>Run %1 used real providers: give the workspace that defines them (--workspace FILE).</source>
        <translation>La ejecución %1 usó proveedores reales: indique el espacio de trabajo que los define (--workspace ARCHIVO).</translation>
    </message>
    <message>
        <source>Write a recorded run&apos;s reports again, from the database alone.</source>
        <translation>Volver a escribir los informes de una ejecución registrada, solo a partir de la base de datos.</translation>
    </message>
    <message>
        <source>History database (default: the user&apos;s).</source>
        <translation>Base de datos del historial (predeterminada: la del usuario).</translation>
    </message>
    <message>
        <source>Give the id of the run to report (slopscope-cli report RUN_ID).</source>
        <translation>Indique el id de la ejecución sobre la que informar (slopscope-cli report ID_EJECUCIÓN).</translation>
    </message>
    <message>
        <source>Nothing to write: give --report, --chart, --summary, --csv or --jsonl.</source>
        <translation>Nada que escribir: indique --report, --chart, --summary, --csv o --jsonl.</translation>
    </message>
    <message>
        <source>Add every run of the given databases to one database.</source>
        <translation>Añadir todas las ejecuciones de las bases de datos indicadas a una sola base de datos.</translation>
    </message>
    <message>
        <source>The database to merge into (created if missing).</source>
        <translation>La base de datos en la que fusionar (se crea si no existe).</translation>
    </message>
    <message>
        <source>Usage: slopscope-cli merge SOURCE.sqlite... --db TARGET.sqlite</source>
        <translation>Uso: slopscope-cli merge ORIGEN.sqlite... --db DESTINO.sqlite</translation>
    </message>
    <message>
        <source>Cannot create a temporary folder: %1</source>
        <translation>No se puede crear una carpeta temporal: %1</translation>
    </message>
    <message>
        <source>%1: run %2 skipped: %3</source>
        <translation>%1: se omitió la ejecución %2: %3</translation>
    </message>
    <message>
        <source>Merged %1 run(s) into %2; %3 skipped.</source>
        <translation>Se fusionaron %1 ejecución(es) en %2; %3 omitida(s).</translation>
    </message>
    <message>
        <source>Convert a promptfoo configuration, a CSV or a JSONL chat log into a suite.</source>
        <translation>Convertir una configuración de promptfoo, un CSV o un registro de chat JSONL en una batería.</translation>
    </message>
    <message>
        <source>The suite file to write.</source>
        <translation>El archivo de batería que escribir.</translation>
    </message>
    <message>
        <source>suite.json</source>
        <translation>bateria.json</translation>
    </message>
    <message>
        <source>jsonl: keep N conversations.</source>
        <translation>jsonl: conservar N conversaciones.</translation>
    </message>
    <message>
        <source>n</source>
        <translation>n</translation>
    </message>
    <message>
        <source>jsonl: seed of the sample and shuffle.</source>
        <translation>jsonl: semilla de la muestra y de la mezcla.</translation>
    </message>
    <message>
        <source>s</source>
        <translation>semilla</translation>
    </message>
    <message>
        <source>jsonl: order the cases by the seed.</source>
        <translation>jsonl: ordenar los casos según la semilla.</translation>
    </message>
    <message>
        <source>jsonl: keep e-mail addresses, phone numbers and key-like strings.</source>
        <translation>jsonl: conservar direcciones de correo electrónico, números de teléfono y cadenas que parezcan claves.</translation>
    </message>
    <message>
        <source>Usage: slopscope-cli import promptfoo|csv|jsonl FILE --out SUITE.json</source>
        <translation>Uso: slopscope-cli import promptfoo|csv|jsonl ARCHIVO --out BATERÍA.json</translation>
    </message>
    <message>
        <source>provider %1 → %2%3</source>
        <translation>proveedor %1 → %2%3</translation>
    </message>
    <message>
        <source>not mapped</source>
        <translation>sin equivalencia</translation>
    </message>
    <message>
        <source>--sample takes a whole number of at least 1.</source>
        <translation>--sample requiere un número entero mayor o igual que 1.</translation>
    </message>
    <message>
        <source>--seed takes a whole number.</source>
        <translation>--seed requiere un número entero.</translation>
    </message>
    <message>
        <source>%1 conversation(s) read, %2 kept</source>
        <translation>%1 conversación(es) leída(s), %2 conservada(s)</translation>
    </message>
    <message>
        <source>Unknown import format &quot;%1&quot;: promptfoo, csv or jsonl.</source>
        <translation>Formato de importación desconocido &quot;%1&quot;: promptfoo, csv o jsonl.</translation>
    </message>
    <message>
        <source>The imported suite does not load back: %1</source>
        <translation>La batería importada no se puede volver a cargar: %1</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>No se puede escribir %1: %2</translation>
    </message>
    <message>
        <source>%1 case(s) written to %2</source>
        <translation>%1 caso(s) escrito(s) en %2</translation>
    </message>
    <message>
        <source>List the runs of the history, newest first.</source>
        <translation>Listar las ejecuciones del historial, de la más reciente a la más antigua.</translation>
    </message>
    <message>
        <source>The people&apos;s ratings of this run could not be read, so the report has no judge–human agreement: %1</source>
        <translation>No se pudieron leer las valoraciones humanas de esta ejecución, por lo que el informe no incluye la concordancia juez–humano: %1</translation>
    </message>
</context>
<context>
    <name>HistoryStore</name>
    <message>
        <source>%1 is not an SQLite database (its header is wrong).</source>
        <translation>%1 no es una base de datos SQLite (su cabecera es incorrecta).</translation>
    </message>
    <message>
        <source>Cannot move %1 aside to %2.</source>
        <translation>No se puede apartar %1 moviéndolo a %2.</translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1 (%2): %3</translation>
    </message>
    <message>
        <source>Cannot create the folder %1 for the history database.</source>
        <translation>No se puede crear la carpeta %1 para la base de datos del historial.</translation>
    </message>
    <message>
        <source>The folder %1 is read-only, so the history database cannot be written there. Choose another data folder or make this one writable.</source>
        <translation>La carpeta %1 es de solo lectura, así que no se puede escribir allí la base de datos del historial. Elija otra carpeta de datos o haga que esta admita escritura.</translation>
    </message>
    <message>
        <source>The history database %1 is read-only.</source>
        <translation>La base de datos del historial %1 es de solo lectura.</translation>
    </message>
    <message>
        <source>Cannot open the history database %1 for writing: %2</source>
        <translation>No se puede abrir la base de datos del historial %1 para escribir: %2</translation>
    </message>
    <message>
        <source>The history database %1 is damaged: %2</source>
        <translation>La base de datos del historial %1 está dañada: %2</translation>
    </message>
    <message>
        <source>The history database %1 is locked by another program and did not become free within %2 s.</source>
        <translation>La base de datos del historial %1 está bloqueada por otro programa y no quedó libre en %2 s.</translation>
    </message>
    <message>
        <source>Cannot open the history database %1: %2</source>
        <translation>No se puede abrir la base de datos del historial %1: %2</translation>
    </message>
    <message>
        <source>Cannot prepare the history database</source>
        <translation>No se puede preparar la base de datos del historial</translation>
    </message>
    <message>
        <source>There is no history database at %1.</source>
        <translation>No hay ninguna base de datos del historial en %1.</translation>
    </message>
    <message>
        <source>Cannot read the history</source>
        <translation>No se puede leer el historial</translation>
    </message>
    <message>
        <source>There is no run %1 in the history.</source>
        <translation>No hay ninguna ejecución %1 en el historial.</translation>
    </message>
    <message>
        <source>Cannot delete the run</source>
        <translation>No se puede eliminar la ejecución</translation>
    </message>
    <message>
        <source>The backup %1 is not a sound database.</source>
        <translation>La copia de seguridad %1 no es una base de datos íntegra.</translation>
    </message>
    <message>
        <source>Cannot copy the backup %1 to %2.</source>
        <translation>No se puede copiar la copia de seguridad %1 en %2.</translation>
    </message>
    <message>
        <source>Cannot check the history</source>
        <translation>No se puede comprobar el historial</translation>
    </message>
    <message>
        <source>search index: %1</source>
        <translation>índice de búsqueda: %1</translation>
    </message>
    <message>
        <source>Cannot list the runs</source>
        <translation>No se pueden listar las ejecuciones</translation>
    </message>
    <message>
        <source>Cannot load the run</source>
        <translation>No se puede cargar la ejecución</translation>
    </message>
    <message>
        <source>Cannot search the history</source>
        <translation>No se puede buscar en el historial</translation>
    </message>
    <message>
        <source>Cannot read the drift of %1</source>
        <translation>No se puede leer la deriva de %1</translation>
    </message>
    <message>
        <source>Cannot read the run</source>
        <translation>No se puede leer la ejecución</translation>
    </message>
    <message>
        <source>Cannot read the ratings</source>
        <translation>No se pueden leer las valoraciones</translation>
    </message>
    <message>
        <source>%1 already exists; choose another name.</source>
        <translation>%1 ya existe; elija otro nombre.</translation>
    </message>
    <message>
        <source>Cannot create %1: %2</source>
        <translation>No se puede crear %1: %2</translation>
    </message>
    <message>
        <source>Cannot export the run to %1: %2</source>
        <translation>No se puede exportar la ejecución a %1: %2</translation>
    </message>
    <message>
        <source>The history is open read-only.</source>
        <translation>El historial está abierto en modo de solo lectura.</translation>
    </message>
    <message>
        <source>%1 is not a Slopscope history file: %2</source>
        <translation>%1 no es un archivo de historial de Slopscope: %2</translation>
    </message>
    <message>
        <source>%1 was exported by a newer version of Slopscope; update Slopscope to import it.</source>
        <translation>%1 se exportó con una versión más reciente de Slopscope; actualice Slopscope para importarlo.</translation>
    </message>
    <message>
        <source>%1 is not a Slopscope history file.</source>
        <translation>%1 no es un archivo de historial de Slopscope.</translation>
    </message>
    <message>
        <source>Cannot read %1.</source>
        <translation>No se puede leer %1.</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>No se puede leer %1: %2</translation>
    </message>
    <message>
        <source>The run %1 is already in the history.</source>
        <translation>La ejecución %1 ya está en el historial.</translation>
    </message>
    <message>
        <source>Cannot import %1: %2</source>
        <translation>No se puede importar %1: %2</translation>
    </message>
    <message>
        <source>The history database %1 was damaged (%2). It was moved to %3 and a new, empty history was started.</source>
        <translation>La base de datos del historial %1 estaba dañada (%2). Se movió a %3 y se empezó un historial nuevo y vacío.</translation>
    </message>
    <message>
        <source>There is no backup to restore.</source>
        <translation>No hay ninguna copia de seguridad que restaurar.</translation>
    </message>
    <message>
        <source>The latest backup, from %1, is %2.</source>
        <translation>La copia de seguridad más reciente, del %1, es %2.</translation>
    </message>
    <message>
        <source>A write-ahead log beside the history database %1 was written by another history; it was moved to %2 and not applied. The history itself is unchanged.</source>
        <translation>Un registro de escritura anticipada (WAL) junto a la base de datos del historial %1 lo escribió otro historial; se movió a %2 y no se aplicó. El historial en sí no ha cambiado.</translation>
    </message>
    <message>
        <source>Cannot read the arena votes</source>
        <translation>No se pueden leer los votos de la arena</translation>
    </message>
    <message>
        <source>Cannot read the cell</source>
        <translation>No se puede leer la celda</translation>
    </message>
    <message>
        <source>The run has no cell %1.</source>
        <translation>La ejecución no tiene la celda %1.</translation>
    </message>
    <message>
        <source>The recorded detail of cell %1 is damaged: %2.</source>
        <translation>El detalle registrado de la celda %1 está dañado: %2.</translation>
    </message>
</context>
<context>
    <name>HtmlReport</name>
    <message>
        <source>Leaderboard</source>
        <translation>Clasificación</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Objetivo</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>Calidad</translation>
    </message>
    <message>
        <source>Brittleness</source>
        <translation>Fragilidad</translation>
    </message>
    <message>
        <source>$ per 1k cases</source>
        <translation>$ por 1000 casos</translation>
    </message>
    <message>
        <source>Total cost</source>
        <translation>Coste total</translation>
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
        <translation>Decodificación tok/s p50</translation>
    </message>
    <message>
        <source>Latency p50</source>
        <translation>Latencia p50</translation>
    </message>
    <message>
        <source>Latency p95</source>
        <translation>Latencia p95</translation>
    </message>
    <message>
        <source>Error rate</source>
        <translation>Tasa de errores</translation>
    </message>
    <message>
        <source>Answers ok</source>
        <translation>Respuestas completadas</translation>
    </message>
    <message>
        <source>not measured</source>
        <translation>no medido</translation>
    </message>
    <message>
        <source>%1 of %2 passed</source>
        <translation>%1 de %2 superadas</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <source>Rewording %1 (%2)</source>
        <translation>Reformulación %1 (%2)</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Referencia</translation>
    </message>
    <message>
        <source>the reference</source>
        <translation>la referencia</translation>
    </message>
    <message>
        <source>score %1</source>
        <translation>puntuación %1</translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation>Razonamiento</translation>
    </message>
    <message>
        <source>Word diff against %1:</source>
        <translation>Diferencias por palabras respecto a %1:</translation>
    </message>
    <message>
        <source>(too long to diff)</source>
        <translation>(demasiado largo para comparar)</translation>
    </message>
    <message>
        <source>Methodology</source>
        <translation>Metodología</translation>
    </message>
    <message>
        <source>Definitions</source>
        <translation>Definiciones</translation>
    </message>
    <message>
        <source>Run conditions</source>
        <translation>Condiciones de la ejecución</translation>
    </message>
    <message>
        <source>Prices</source>
        <translation>Precios</translation>
    </message>
    <message>
        <source>No catalogue price was overridden by the workspace.</source>
        <translation>El espacio de trabajo no sustituyó ningún precio del catálogo.</translation>
    </message>
    <message>
        <source>Prices the workspace set over the catalogue&apos;s:</source>
        <translation>Precios que el espacio de trabajo estableció en lugar de los del catálogo:</translation>
    </message>
    <message>
        <source>Run %1 · started %2 · ended %3 · Slopscope %4</source>
        <translation>Ejecución %1 · inicio %2 · fin %3 · Slopscope %4</translation>
    </message>
    <message>
        <source>Price and quality</source>
        <translation>Precio y calidad</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>Casos</translation>
    </message>
    <message>
        <source>Each target&apos;s answer to the canonical wording (first repeat), with a word diff; every sample is in the CSV and JSONL exports.</source>
        <translation>La respuesta de cada objetivo a la formulación canónica (primera repetición), con una comparación palabra por palabra; todas las muestras están en las exportaciones CSV y JSONL.</translation>
    </message>
    <message numerus="yes">
        <source>Chain: %n turn(s)</source>
        <translation>
            <numerusform>Cadena: %n turno</numerusform>
            <numerusform>Cadena: %n turnos</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HumanReview</name>
    <message>
        <source>A rating needs the answer it rates.</source>
        <translation>Una valoración necesita la respuesta que valora.</translation>
    </message>
    <message>
        <source>A rating has 1 to 5 stars, not %1.</source>
        <translation>Una valoración tiene de 1 a 5 estrellas, no %1.</translation>
    </message>
</context>
<context>
    <name>Json</name>
    <message>
        <source>%1:%2:%3: invalid JSON: %4</source>
        <translation>%1:%2:%3: JSON no válido: %4</translation>
    </message>
    <message>
        <source>%1: missing (a string is required)</source>
        <translation>%1: falta (se requiere una cadena)</translation>
    </message>
    <message>
        <source>%1: expected a string</source>
        <translation>%1: se esperaba una cadena</translation>
    </message>
    <message>
        <source>%1: missing (a number is required)</source>
        <translation>%1: falta (se requiere un número)</translation>
    </message>
    <message>
        <source>%1: expected a number</source>
        <translation>%1: se esperaba un número</translation>
    </message>
    <message>
        <source>%1: missing (an integer is required)</source>
        <translation>%1: falta (se requiere un entero)</translation>
    </message>
    <message>
        <source>%1: expected an integer</source>
        <translation>%1: se esperaba un entero</translation>
    </message>
    <message>
        <source>%1: %2 is out of range (%3 to %4)</source>
        <translation>%1: %2 está fuera de rango (de %3 a %4)</translation>
    </message>
    <message>
        <source>%1: missing (true or false is required)</source>
        <translation>%1: falta (se requiere true o false)</translation>
    </message>
    <message>
        <source>%1: expected true or false</source>
        <translation>%1: se esperaba true o false</translation>
    </message>
    <message>
        <source>%1: missing</source>
        <translation>%1: falta</translation>
    </message>
    <message>
        <source>an array</source>
        <translation>un array</translation>
    </message>
    <message>
        <source>an object</source>
        <translation>un objeto</translation>
    </message>
    <message>
        <source>%1: expected %2</source>
        <translation>%1: se esperaba %2</translation>
    </message>
    <message>
        <source>%1: unknown key (expected one of: %2)</source>
        <translation>%1: clave desconocida (se esperaba una de: %2)</translation>
    </message>
    <message>
        <source>%1: invalid JSON: %2</source>
        <translation>%1: JSON no válido: %2</translation>
    </message>
</context>
<context>
    <name>JsonSchema</name>
    <message>
        <source>the schema nests (or refers to itself) too deeply</source>
        <translation>el esquema se anida (o se referencia a sí mismo) con demasiada profundidad</translation>
    </message>
    <message>
        <source>no value is allowed here</source>
        <translation>aquí no se permite ningún valor</translation>
    </message>
    <message>
        <source>the schema is not an object</source>
        <translation>el esquema no es un objeto</translation>
    </message>
    <message>
        <source>unresolvable $ref %1</source>
        <translation>no se puede resolver $ref %1</translation>
    </message>
    <message>
        <source>expected one of %1</source>
        <translation>se esperaba uno de %1</translation>
    </message>
    <message>
        <source>expected %1</source>
        <translation>se esperaba %1</translation>
    </message>
    <message>
        <source>expected %1, got %2</source>
        <translation>se esperaba %1, se obtuvo %2</translation>
    </message>
    <message>
        <source>%1 is less than the minimum %2</source>
        <translation>%1 es menor que el mínimo %2</translation>
    </message>
    <message>
        <source>%1 is more than the maximum %2</source>
        <translation>%1 es mayor que el máximo %2</translation>
    </message>
    <message>
        <source>%1 is not more than %2</source>
        <translation>%1 no es mayor que %2</translation>
    </message>
    <message>
        <source>%1 is not less than %2</source>
        <translation>%1 no es menor que %2</translation>
    </message>
    <message>
        <source>%1 is not a multiple of %2</source>
        <translation>%1 no es múltiplo de %2</translation>
    </message>
    <message>
        <source>shorter than %1 characters</source>
        <translation>menos de %1 caracteres</translation>
    </message>
    <message>
        <source>longer than %1 characters</source>
        <translation>más de %1 caracteres</translation>
    </message>
    <message>
        <source>the schema&apos;s pattern is not a valid regular expression</source>
        <translation>el patrón del esquema no es una expresión regular válida</translation>
    </message>
    <message>
        <source>does not match the pattern %1</source>
        <translation>no coincide con el patrón %1</translation>
    </message>
    <message>
        <source>fewer than %1 items</source>
        <translation>menos de %1 elementos</translation>
    </message>
    <message>
        <source>more than %1 items</source>
        <translation>más de %1 elementos</translation>
    </message>
    <message>
        <source>the items are not unique</source>
        <translation>los elementos no son únicos</translation>
    </message>
    <message>
        <source>no item matches &quot;contains&quot;</source>
        <translation>ningún elemento cumple &quot;contains&quot;</translation>
    </message>
    <message>
        <source>fewer than %1 properties</source>
        <translation>menos de %1 propiedades</translation>
    </message>
    <message>
        <source>more than %1 properties</source>
        <translation>más de %1 propiedades</translation>
    </message>
    <message>
        <source>missing required property &quot;%1&quot;</source>
        <translation>falta la propiedad obligatoria &quot;%1&quot;</translation>
    </message>
    <message>
        <source>property &quot;%1&quot; is not allowed</source>
        <translation>la propiedad &quot;%1&quot; no está permitida</translation>
    </message>
    <message>
        <source>matches none of &quot;anyOf&quot; (first: %1)</source>
        <translation>no cumple ninguno de &quot;anyOf&quot; (primero: %1)</translation>
    </message>
    <message>
        <source>matches %1 of &quot;oneOf&quot; (exactly one is required)</source>
        <translation>cumple %1 de &quot;oneOf&quot; (se requiere exactamente uno)</translation>
    </message>
    <message>
        <source>matches the schema under &quot;not&quot;</source>
        <translation>cumple el esquema de &quot;not&quot;</translation>
    </message>
</context>
<context>
    <name>JsonlImporter</name>
    <message>
        <source>%1: expected a string or a list of content parts</source>
        <translation>%1: se esperaba una cadena o una lista de partes de contenido</translation>
    </message>
    <message>
        <source>%1: expected an object with a &quot;type&quot;</source>
        <translation>%1: se esperaba un objeto con un &quot;type&quot;</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; content cannot be replayed (text only)</source>
        <translation>%1: el contenido &quot;%2&quot; no se puede reproducir (solo texto)</translation>
    </message>
    <message>
        <source>%1.text: expected a string</source>
        <translation>%1.text: se esperaba una cadena</translation>
    </message>
    <message>
        <source>expected an object with &quot;messages&quot;</source>
        <translation>se esperaba un objeto con &quot;messages&quot;</translation>
    </message>
    <message>
        <source>messages: a non-empty list of messages is required</source>
        <translation>messages: se requiere una lista no vacía de mensajes</translation>
    </message>
    <message>
        <source>id: expected a non-empty string</source>
        <translation>id: se esperaba una cadena no vacía</translation>
    </message>
    <message>
        <source>metadata: expected an object</source>
        <translation>metadata: se esperaba un objeto</translation>
    </message>
    <message>
        <source>%1: expected an object with &quot;role&quot; and &quot;content&quot;</source>
        <translation>%1: se esperaba un objeto con &quot;role&quot; y &quot;content&quot;</translation>
    </message>
    <message>
        <source>%1.role: expected a string</source>
        <translation>%1.role: se esperaba una cadena</translation>
    </message>
    <message>
        <source>%1.role: &quot;%2&quot; messages cannot be replayed yet</source>
        <translation>%1.role: los mensajes &quot;%2&quot; aún no se pueden reproducir</translation>
    </message>
    <message>
        <source>%1.role: &quot;%2&quot; is not a role (system, developer, user or assistant)</source>
        <translation>%1.role: &quot;%2&quot; no es un rol (system, developer, user o assistant)</translation>
    </message>
    <message>
        <source>%1.tool_calls: tool calls inside a conversation cannot be replayed yet</source>
        <translation>%1.tool_calls: las llamadas a herramientas dentro de una conversación aún no se pueden reproducir</translation>
    </message>
    <message>
        <source>%1.content: missing</source>
        <translation>%1.content: falta</translation>
    </message>
    <message>
        <source>messages: the conversation must end with a user message (a final assistant message is the logged answer)</source>
        <translation>messages: la conversación debe terminar con un mensaje del usuario (un mensaje final del asistente es la respuesta registrada)</translation>
    </message>
    <message>
        <source>%1:%2:%3: not valid JSON: %4</source>
        <translation>%1:%2:%3: JSON no válido: %4</translation>
    </message>
    <message>
        <source>%1:%2: id: duplicate case id &quot;%3&quot;</source>
        <translation>%1:%2: id: id de caso duplicado &quot;%3&quot;</translation>
    </message>
    <message>
        <source>%1: no conversation to replay</source>
        <translation>%1: no hay ninguna conversación que reproducir</translation>
    </message>
    <message>
        <source>%1: the sample must hold at least one line</source>
        <translation>%1: la muestra debe contener al menos una línea</translation>
    </message>
    <message>
        <source>Shadow traffic from %1: %2 of %3 conversation(s)</source>
        <translation>Tráfico en sombra de %1: %2 de %3 conversación(es)</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>No se puede abrir %1: %2</translation>
    </message>
    <message>
        <source>%1: the file is too large (the limit is %2 MiB)</source>
        <translation>%1: el archivo es demasiado grande (el límite es de %2 MiB)</translation>
    </message>
    <message>
        <source>%1:%2: not valid JSON: %3</source>
        <translation>%1:%2: JSON no válido: %3</translation>
    </message>
</context>
<context>
    <name>JudgeGrade</name>
    <message>
        <source>(no reason given)</source>
        <translation>(no se indicó ningún motivo)</translation>
    </message>
    <message>
        <source>not: judge: %1</source>
        <translation>no: juez: %1</translation>
    </message>
    <message>
        <source>judge: %1</source>
        <translation>juez: %1</translation>
    </message>
    <message>
        <source>judge error: %1</source>
        <translation>error del juez: %1</translation>
    </message>
    <message>
        <source>chosen as the best of %1 answers, in both orders: %2</source>
        <translation>elegida como la mejor de %1 respuestas, en ambos órdenes: %2</translation>
    </message>
    <message>
        <source>not chosen; the judge picked another of %1 answers in both orders: %2</source>
        <translation>no elegida; el juez escogió otra de las %1 respuestas en ambos órdenes: %2</translation>
    </message>
    <message>
        <source>tie/inconsistent: the judge picked differently when the positions were swapped (%1)</source>
        <translation>empate/incoherencia: el juez eligió distinto al intercambiar las posiciones (%1)</translation>
    </message>
    <message>
        <source>not graded (%1)</source>
        <translation>sin calificar (%1)</translation>
    </message>
</context>
<context>
    <name>JudgePrompt</name>
    <message>
        <source>select-best needs at least two answers</source>
        <translation>select-best necesita al menos dos respuestas</translation>
    </message>
    <message>
        <source>select-best compares at most %1 answers, not %2</source>
        <translation>select-best compara como máximo %1 respuestas, no %2</translation>
    </message>
</context>
<context>
    <name>JudgeTemplates</name>
    <message>
        <source>expected an object of judge templates</source>
        <translation>se esperaba un objeto de plantillas de juez</translation>
    </message>
    <message>
        <source>%1: unknown key (expected llm-rubric, factuality or select-best)</source>
        <translation>%1: clave desconocida (se esperaba llm-rubric, factuality o select-best)</translation>
    </message>
    <message>
        <source>%1: expected an object with &quot;user&quot; and optionally &quot;system&quot;</source>
        <translation>%1: se esperaba un objeto con &quot;user&quot; y, opcionalmente, &quot;system&quot;</translation>
    </message>
    <message>
        <source>%1.%2: unknown key (expected system or user)</source>
        <translation>%1.%2: clave desconocida (se esperaba system o user)</translation>
    </message>
    <message>
        <source>%1.user: the template needs the placeholder {{%2}}</source>
        <translation>%1.user: la plantilla necesita el marcador {{%2}}</translation>
    </message>
    <message>
        <source>%1: cannot read: %2</source>
        <translation>%1: no se puede leer: %2</translation>
    </message>
    <message>
        <source>%1: too large for a judge template file (at most 1 MiB)</source>
        <translation>%1: demasiado grande para un archivo de plantillas de juez (1 MiB como máximo)</translation>
    </message>
</context>
<context>
    <name>JudgeVerdict</name>
    <message>
        <source>the judge&apos;s answer is empty</source>
        <translation>la respuesta del juez está vacía</translation>
    </message>
    <message>
        <source>the judge&apos;s answer is too long (%1 characters)</source>
        <translation>la respuesta del juez es demasiado larga (%1 caracteres)</translation>
    </message>
    <message>
        <source>no JSON verdict in the judge&apos;s answer (&quot;%1&quot;)</source>
        <translation>no hay ningún veredicto JSON en la respuesta del juez (&quot;%1&quot;)</translation>
    </message>
    <message>
        <source>the verdict has no score</source>
        <translation>el veredicto no tiene puntuación</translation>
    </message>
    <message>
        <source>the verdict&apos;s score is not a number (%1)</source>
        <translation>la puntuación del veredicto no es un número (%1)</translation>
    </message>
    <message>
        <source>the verdict&apos;s score %1 is outside 0 to 1</source>
        <translation>la puntuación del veredicto, %1, está fuera del intervalo de 0 a 1</translation>
    </message>
    <message>
        <source>the verdict&apos;s pass is not true or false (%1)</source>
        <translation>el campo pass del veredicto no es true ni false (%1)</translation>
    </message>
    <message>
        <source>the verdict&apos;s reason is not a string</source>
        <translation>el campo reason del veredicto no es una cadena</translation>
    </message>
</context>
<context>
    <name>KeyCommands</name>
    <message>
        <source>Key (input hidden): </source>
        <translation>Clave (entrada oculta): </translation>
    </message>
    <message>
        <source>Usage: slopscope-cli keys set NAME  (the key is read from stdin; NAME is the provider&apos;s api_key_env, e.g. OPENAI_API_KEY)</source>
        <translation>Uso: slopscope-cli keys set NOMBRE  (la clave se lee de la entrada estándar; NOMBRE es el api_key_env del proveedor, p. ej., OPENAI_API_KEY)</translation>
    </message>
    <message>
        <source>No key on stdin; nothing was saved.</source>
        <translation>No hay ninguna clave en la entrada estándar; no se guardó nada.</translation>
    </message>
    <message>
        <source>Saved %1 in the system keychain.</source>
        <translation>Se guardó %1 en el llavero del sistema.</translation>
    </message>
    <message>
        <source>Could not save %1 in the system keychain: %2</source>
        <translation>No se pudo guardar %1 en el llavero del sistema: %2</translation>
    </message>
    <message>
        <source>The key was not stored anywhere. Set the environment variable %1 instead.</source>
        <translation>La clave no se almacenó en ningún sitio. Establezca en su lugar la variable de entorno %1.</translation>
    </message>
    <message>
        <source>Usage: slopscope-cli keys remove NAME</source>
        <translation>Uso: slopscope-cli keys remove NOMBRE</translation>
    </message>
    <message>
        <source>Removed %1 from the system keychain.</source>
        <translation>Se eliminó %1 del llavero del sistema.</translation>
    </message>
    <message>
        <source>The system keychain holds no key named %1.</source>
        <translation>El llavero del sistema no contiene ninguna clave llamada %1.</translation>
    </message>
    <message>
        <source>Could not remove %1 from the system keychain: %2</source>
        <translation>No se pudo eliminar %1 del llavero del sistema: %2</translation>
    </message>
    <message>
        <source>--workspace needs a file.</source>
        <translation>--workspace necesita un archivo.</translation>
    </message>
    <message>
        <source>Usage: slopscope-cli keys status [--workspace FILE | --demo] [NAME...]</source>
        <translation>Uso: slopscope-cli keys status [--workspace ARCHIVO | --demo] [NOMBRE...]</translation>
    </message>
    <message>
        <source>No key names: give --workspace FILE, --demo or NAME...</source>
        <translation>No hay nombres de clave: indique --workspace ARCHIVO, --demo o NOMBRE...</translation>
    </message>
    <message>
        <source>environment</source>
        <translation>entorno</translation>
    </message>
    <message>
        <source>keychain</source>
        <translation>llavero</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>falta</translation>
    </message>
    <message>
        <source>missing (keychain: %1)</source>
        <translation>falta (llavero: %1)</translation>
    </message>
    <message>
        <source>(simulated providers need none)</source>
        <translation>(los proveedores simulados no necesitan ninguna)</translation>
    </message>
    <message>
        <source>Keychain: no key for %1: %2</source>
        <translation>Llavero: no hay clave para %1: %2</translation>
    </message>
    <message>
        <source>Usage: slopscope-cli keys allow-host NAME HOST  (HOST as in the provider&apos;s base URL, e.g. api.openai.com)</source>
        <translation>Uso: slopscope-cli keys allow-host NAME HOST  (HOST tal como aparece en la URL base del proveedor, p. ej., api.openai.com)</translation>
    </message>
    <message>
        <source>%1 may now be sent to: %2</source>
        <translation>%1 ya se puede enviar a: %2</translation>
    </message>
    <message>
        <source>Usage: slopscope-cli keys set NAME | remove NAME | allow-host NAME HOST | status [--workspace FILE | --demo] [NAME...]</source>
        <translation>Uso: slopscope-cli keys set NAME | remove NAME | allow-host NAME HOST | status [--workspace FILE | --demo] [NAME...]</translation>
    </message>
</context>
<context>
    <name>KeyStore</name>
    <message>
        <source>No key named %1 is stored.</source>
        <translation>No hay ninguna clave guardada con el nombre %1.</translation>
    </message>
    <message>
        <source>No keychain service is available (no session bus or no secret service running).</source>
        <translation>No hay ningún servicio de llavero disponible (no hay bus de sesión o no se está ejecutando ningún servicio de secretos).</translation>
    </message>
    <message>
        <source>The keychain is locked.</source>
        <translation>El llavero está bloqueado.</translation>
    </message>
    <message>
        <source>Access to the keychain was denied.</source>
        <translation>Se denegó el acceso al llavero.</translation>
    </message>
    <message>
        <source>Keychain not responding.</source>
        <translation>El llavero no responde.</translation>
    </message>
    <message>
        <source>The keychain failed.</source>
        <translation>Falló el llavero.</translation>
    </message>
</context>
<context>
    <name>MarkdownReport</name>
    <message>
        <source>Leaderboard</source>
        <translation>Clasificación</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Objetivo</translation>
    </message>
    <message>
        <source>Quality (95% interval)</source>
        <translation>Calidad (intervalo del 95%)</translation>
    </message>
    <message>
        <source>Brittleness</source>
        <translation>Fragilidad</translation>
    </message>
    <message>
        <source>$/1k cases</source>
        <translation>$/1000 casos</translation>
    </message>
    <message>
        <source>TTFT p50</source>
        <translation>TTFT p50</translation>
    </message>
    <message>
        <source>Decode tok/s p50</source>
        <translation>Decodificación tok/s p50</translation>
    </message>
    <message>
        <source>Error rate</source>
        <translation>Tasa de errores</translation>
    </message>
    <message>
        <source>n</source>
        <translation>n</translation>
    </message>
    <message>
        <source>not measured</source>
        <translation>no medido</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>Casos</translation>
    </message>
    <message>
        <source>Each target&apos;s answer to the canonical wording (first repeat); every sample is in the CSV and JSONL exports.</source>
        <translation>La respuesta de cada objetivo a la formulación canónica (primera repetición); todas las muestras están en las exportaciones CSV y JSONL.</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Referencia</translation>
    </message>
    <message>
        <source>score %1</source>
        <translation>puntuación %1</translation>
    </message>
    <message>
        <source>Methodology</source>
        <translation>Metodología</translation>
    </message>
    <message>
        <source>Definitions</source>
        <translation>Definiciones</translation>
    </message>
    <message>
        <source>Run conditions</source>
        <translation>Condiciones de la ejecución</translation>
    </message>
    <message>
        <source>Prices</source>
        <translation>Precios</translation>
    </message>
    <message>
        <source>No catalogue price was overridden by the workspace.</source>
        <translation>El espacio de trabajo no sustituyó ningún precio del catálogo.</translation>
    </message>
    <message>
        <source>Prices the workspace set over the catalogue&apos;s:</source>
        <translation>Precios que el espacio de trabajo estableció en lugar de los del catálogo:</translation>
    </message>
    <message numerus="yes">
        <source>Chain: %n turn(s)</source>
        <translation>
            <numerusform>Cadena: %n turno</numerusform>
            <numerusform>Cadena: %n turnos</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PairwiseJudgement</name>
    <message>
        <source>first ask: %1</source>
        <translation>primera consulta: %1</translation>
    </message>
    <message>
        <source>swapped ask: %1</source>
        <translation>consulta intercambiada: %1</translation>
    </message>
    <message>
        <source>a pick is outside the answers shown</source>
        <translation>una elección está fuera de las respuestas mostradas</translation>
    </message>
</context>
<context>
    <name>PdfReport</name>
    <message>
        <source>Run %1 · started %2 · ended %3 · Slopscope %4</source>
        <translation>Ejecución %1 · inicio %2 · fin %3 · Slopscope %4</translation>
    </message>
    <message>
        <source>Leaderboard</source>
        <translation>Clasificación</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Objetivo</translation>
    </message>
    <message>
        <source>Quality [95% interval]</source>
        <translation>Calidad [intervalo del 95&#xa0;%]</translation>
    </message>
    <message>
        <source>Brittleness</source>
        <translation>Fragilidad</translation>
    </message>
    <message>
        <source>$ / 1k cases</source>
        <translation>$ / 1000 casos</translation>
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
        <translation>Latencia p95</translation>
    </message>
    <message>
        <source>Error rate</source>
        <translation>Tasa de errores</translation>
    </message>
    <message>
        <source>n</source>
        <translation>n</translation>
    </message>
    <message>
        <source>not measured</source>
        <translation>no medido</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>Casos</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Referencia</translation>
    </message>
    <message>
        <source>score %1</source>
        <translation>puntuación %1</translation>
    </message>
    <message>
        <source>Methodology</source>
        <translation>Metodología</translation>
    </message>
    <message>
        <source>Definitions</source>
        <translation>Definiciones</translation>
    </message>
    <message>
        <source>Run conditions</source>
        <translation>Condiciones de la ejecución</translation>
    </message>
    <message>
        <source>Prices</source>
        <translation>Precios</translation>
    </message>
    <message>
        <source>No catalogue price was overridden by the workspace.</source>
        <translation>El espacio de trabajo no sustituyó ningún precio del catálogo.</translation>
    </message>
    <message>
        <source>Prices the workspace set over the catalogue&apos;s:</source>
        <translation>Precios que el espacio de trabajo estableció en lugar de los del catálogo:</translation>
    </message>
    <message>
        <source>Writing a PDF needs the graphical application (a QGuiApplication).</source>
        <translation>Para escribir un PDF se necesita la aplicación gráfica (una QGuiApplication).</translation>
    </message>
    <message>
        <source>The PDF writer could not start.</source>
        <translation>No se pudo iniciar el generador de PDF.</translation>
    </message>
    <message numerus="yes">
        <source>Chain: %n turn(s)</source>
        <translation>
            <numerusform>Cadena: %n turno</numerusform>
            <numerusform>Cadena: %n turnos</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PriceCatalogue</name>
    <message>
        <source>unknown catalogue</source>
        <translation>catálogo desconocido</translation>
    </message>
    <message>
        <source>%1:%2:%3: invalid JSON: %4</source>
        <translation>%1:%2:%3: JSON no válido: %4</translation>
    </message>
    <message>
        <source>%1: expected a JSON object of models</source>
        <translation>%1: se esperaba un objeto JSON de modelos</translation>
    </message>
    <message>
        <source>%1: expected a JSON object {&quot;source&quot;, &quot;commit&quot;, &quot;date&quot;}</source>
        <translation>%1: se esperaba un objeto JSON {&quot;source&quot;, &quot;commit&quot;, &quot;date&quot;}</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; must be a non-empty string</source>
        <translation>%1: &quot;%2&quot; debe ser una cadena no vacía</translation>
    </message>
    <message>
        <source>%1: the bundled price catalogue is missing</source>
        <translation>%1: falta el catálogo de precios incluido</translation>
    </message>
    <message>
        <source>%1: the bundled price table is missing</source>
        <translation>%1: falta la tabla de precios incluida</translation>
    </message>
    <message>
        <source>%1: expected an object of model keys</source>
        <translation>%1: se esperaba un objeto de claves de modelo</translation>
    </message>
    <message>
        <source>%1: %2: expected an object of prices</source>
        <translation>%1: %2: se esperaba un objeto de precios</translation>
    </message>
    <message>
        <source>%1: unknown price field (expected input_per_mtok, output_per_mtok, cached_input_per_mtok, cache_write_per_mtok or reasoning_per_mtok)</source>
        <translation>%1: campo de precio desconocido (se esperaba input_per_mtok, output_per_mtok, cached_input_per_mtok, cache_write_per_mtok o reasoning_per_mtok)</translation>
    </message>
    <message>
        <source>%1: a price cannot be negative</source>
        <translation>%1: un precio no puede ser negativo</translation>
    </message>
</context>
<context>
    <name>PromptfooImporter</name>
    <message>
        <source>OpenAI %1 endpoints are not chat; not mapped</source>
        <translation>Los endpoints %1 de OpenAI no son de chat; sin equivalencia</translation>
    </message>
    <message>
        <source>Anthropic&apos;s legacy completion API is not supported; not mapped</source>
        <translation>La API de completado heredada de Anthropic no es compatible; sin equivalencia</translation>
    </message>
    <message>
        <source>Vertex AI speaks Gemini&apos;s format; set your project&apos;s endpoint as the base URL</source>
        <translation>Vertex AI usa el formato de Gemini; establezca el endpoint de su proyecto como URL base</translation>
    </message>
    <message>
        <source>Ollama embeddings are not chat; not mapped</source>
        <translation>Los embeddings de Ollama no son de chat; sin equivalencia</translation>
    </message>
    <message>
        <source>runs through Ollama&apos;s chat API instead of /api/generate</source>
        <translation>se ejecuta mediante la API de chat de Ollama en lugar de /api/generate</translation>
    </message>
    <message>
        <source>Azure OpenAI: set your resource&apos;s deployment URL as the base URL</source>
        <translation>Azure OpenAI: establezca la URL de despliegue de su recurso como URL base</translation>
    </message>
    <message>
        <source>Slopscope cannot call &quot;%1&quot; providers; not mapped</source>
        <translation>Slopscope no puede llamar a proveedores &quot;%1&quot;; sin equivalencia</translation>
    </message>
    <message>
        <source>no model named; not mapped</source>
        <translation>no se indica ningún modelo; sin equivalencia</translation>
    </message>
    <message>
        <source>a promptfoo configuration must be a mapping (prompts, providers, tests)</source>
        <translation>una configuración de promptfoo debe ser un mapa (prompts, providers, tests)</translation>
    </message>
    <message>
        <source>the key &quot;%1&quot; is not imported</source>
        <translation>la clave &quot;%1&quot; no se importa</translation>
    </message>
    <message>
        <source>expected a string</source>
        <translation>se esperaba una cadena</translation>
    </message>
    <message>
        <source>scenarios are not imported; only tests are</source>
        <translation>los escenarios (scenarios) no se importan; solo las pruebas (tests)</translation>
    </message>
    <message>
        <source>custom nunjucks filters are not imported</source>
        <translation>los filtros personalizados de nunjucks no se importan</translation>
    </message>
    <message>
        <source>at least one prompt is required</source>
        <translation>se requiere al menos una instrucción</translation>
    </message>
    <message>
        <source>the configuration yields no test</source>
        <translation>la configuración no produce ninguna prueba</translation>
    </message>
    <message>
        <source>nested too deeply</source>
        <translation>anidamiento demasiado profundo</translation>
    </message>
    <message>
        <source>the configuration is too large once its aliases are expanded (more than %1 values)</source>
        <translation>la configuración es demasiado grande una vez expandidos sus alias (más de %1 valores)</translation>
    </message>
    <message>
        <source>keys must be plain strings</source>
        <translation>las claves deben ser cadenas simples</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>no se puede leer %1: %2</translation>
    </message>
    <message>
        <source>%1 is too large</source>
        <translation>%1 es demasiado grande</translation>
    </message>
    <message>
        <source>no file %1</source>
        <translation>no existe el archivo %1</translation>
    </message>
    <message>
        <source>no file matches %1</source>
        <translation>ningún archivo coincide con %1</translation>
    </message>
    <message>
        <source>a chat prompt must be a list of {&quot;role&quot;, &quot;content&quot;} messages</source>
        <translation>una instrucción de chat debe ser una lista de mensajes {&quot;role&quot;, &quot;content&quot;}</translation>
    </message>
    <message>
        <source>the prompt is empty</source>
        <translation>la instrucción está vacía</translation>
    </message>
    <message>
        <source>nunjucks tags ({% … %}) are not supported; only {{var}} placeholders are</source>
        <translation>las etiquetas de nunjucks ({% … %}) no son compatibles; solo lo son los marcadores {{var}}</translation>
    </message>
    <message>
        <source>nunjucks filters ({{ var | filter }}) are not supported</source>
        <translation>los filtros de nunjucks ({{ var | filter }}) no son compatibles</translation>
    </message>
    <message>
        <source>prompt functions (%1) cannot be imported; use text or chat prompts</source>
        <translation>las funciones de instrucción (%1) no se pueden importar; use instrucciones de texto o de chat</translation>
    </message>
    <message>
        <source>%1 is not valid JSON</source>
        <translation>%1 no es JSON válido</translation>
    </message>
    <message>
        <source>%1:%2: %3</source>
        <translation>%1:%2: %3</translation>
    </message>
    <message>
        <source>%1 must hold a list of {&quot;role&quot;, &quot;content&quot;} messages</source>
        <translation>%1 debe contener una lista de mensajes {&quot;role&quot;, &quot;content&quot;}</translation>
    </message>
    <message>
        <source>%1:%2: expected a list of {&quot;role&quot;, &quot;content&quot;} messages</source>
        <translation>%1:%2: se esperaba una lista de mensajes {&quot;role&quot;, &quot;content&quot;}</translation>
    </message>
    <message>
        <source>expected a prompt or a list of prompts</source>
        <translation>se esperaba una instrucción o una lista de instrucciones</translation>
    </message>
    <message>
        <source>expected a string or {raw|id, label}</source>
        <translation>se esperaba una cadena o {raw|id, label}</translation>
    </message>
    <message>
        <source>expected chat messages</source>
        <translation>se esperaban mensajes de chat</translation>
    </message>
    <message>
        <source>a prompt object needs &quot;raw&quot; or &quot;id&quot;</source>
        <translation>un objeto de instrucción necesita &quot;raw&quot; o &quot;id&quot;</translation>
    </message>
    <message>
        <source>expected a mapping</source>
        <translation>se esperaba un mapa</translation>
    </message>
    <message>
        <source>%1: the API key in the configuration is not imported; Slopscope reads keys from the environment</source>
        <translation>%1: la clave de API de la configuración no se importa; Slopscope lee las claves del entorno</translation>
    </message>
    <message>
        <source>expected a provider id or a list of providers</source>
        <translation>se esperaba un id de proveedor o una lista de proveedores</translation>
    </message>
    <message>
        <source>expected a provider id or {id, label, config}</source>
        <translation>se esperaba un id de proveedor o {id, label, config}</translation>
    </message>
    <message>
        <source>a provider object needs an &quot;id&quot;</source>
        <translation>un objeto de proveedor necesita un &quot;id&quot;</translation>
    </message>
    <message>
        <source>tests from %1 cannot be imported (YAML, JSON, JSONL or CSV only)</source>
        <translation>las pruebas de %1 no se pueden importar (solo YAML, JSON, JSONL o CSV)</translation>
    </message>
    <message>
        <source>expected a list of tests</source>
        <translation>se esperaba una lista de pruebas</translation>
    </message>
    <message>
        <source>%1 field(s), but the header has %2</source>
        <translation>%1 campo(s), pero la cabecera tiene %2</translation>
    </message>
    <message>
        <source>expected a number</source>
        <translation>se esperaba un número</translation>
    </message>
    <message>
        <source>the CSV column &quot;%1&quot; is not imported</source>
        <translation>la columna CSV &quot;%1&quot; no se importa</translation>
    </message>
    <message>
        <source>expected a list of tests or a file:// reference</source>
        <translation>se esperaba una lista de pruebas o una referencia file://</translation>
    </message>
    <message>
        <source>a test must be a mapping (vars, assert, ...)</source>
        <translation>una prueba debe ser un mapa (vars, assert, ...)</translation>
    </message>
    <message>
        <source>vars from scripts (%1) cannot be imported</source>
        <translation>las vars procedentes de scripts (%1) no se pueden importar</translation>
    </message>
    <message>
        <source>expected a list of assertions</source>
        <translation>se esperaba una lista de aserciones</translation>
    </message>
    <message>
        <source>expected a mapping with a &quot;type&quot;</source>
        <translation>se esperaba un mapa con un &quot;type&quot;</translation>
    </message>
    <message>
        <source>a type is required</source>
        <translation>se requiere un tipo</translation>
    </message>
    <message>
        <source>assert-set groups are kept as one check that Slopscope cannot grade</source>
        <translation>los grupos assert-set se conservan como una sola comprobación que Slopscope no puede calificar</translation>
    </message>
    <message>
        <source>expected a number of at least 0</source>
        <translation>se esperaba un número mayor o igual que 0</translation>
    </message>
    <message>
        <source>assertion &quot;%1&quot; settings are not imported</source>
        <translation>los ajustes de la aserción &quot;%1&quot; no se importan</translation>
    </message>
    <message>
        <source>assertion type &quot;%1&quot; is kept but cannot be graded (unknown grader)</source>
        <translation>el tipo de aserción &quot;%1&quot; se conserva, pero no se puede calificar (evaluador desconocido)</translation>
    </message>
    <message>
        <source>test option &quot;%1&quot; is not imported</source>
        <translation>la opción de prueba &quot;%1&quot; no se importa</translation>
    </message>
    <message>
        <source>expected a file with one test mapping</source>
        <translation>se esperaba un archivo con un único mapa de prueba</translation>
    </message>
    <message>
        <source>expected a mapping (vars, assert, options)</source>
        <translation>se esperaba un mapa (vars, assert, options)</translation>
    </message>
    <message>
        <source>the test key &quot;%1&quot; is not imported</source>
        <translation>la clave de prueba &quot;%1&quot; no se importa</translation>
    </message>
    <message>
        <source>per-test &quot;%1&quot; filters are not imported: every test runs on every target and prompt</source>
        <translation>los filtros &quot;%1&quot; por prueba no se importan: cada prueba se ejecuta en todos los objetivos y con todas las instrucciones</translation>
    </message>
    <message>
        <source>fixed providerOutput values are not imported</source>
        <translation>los valores fijos de providerOutput no se importan</translation>
    </message>
    <message>
        <source>expected a mapping of names and values</source>
        <translation>se esperaba un mapa de nombres y valores</translation>
    </message>
    <message>
        <source>an empty list gives no case</source>
        <translation>una lista vacía no produce ningún caso</translation>
    </message>
    <message>
        <source>the lists in vars expand to more than %1 cases</source>
        <translation>las listas de vars se expanden a más de %1 casos</translation>
    </message>
    <message>
        <source>an assertion uses {{%1}}, which this test does not define</source>
        <translation>una aserción usa {{%1}}, que esta prueba no define</translation>
    </message>
    <message>
        <source>the prompt &quot;%1&quot; uses {{%2}}, which this test does not define</source>
        <translation>la instrucción &quot;%1&quot; usa {{%2}}, que esta prueba no define</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>No se puede abrir %1: %2</translation>
    </message>
    <message>
        <source>%1: the file is too large (the limit is %2 MiB)</source>
        <translation>%1: el archivo es demasiado grande (el límite es de %2 MiB)</translation>
    </message>
    <message>
        <source>%1 is outside the configuration&apos;s folder %2; included files must be inside it</source>
        <translation>%1 está fuera de la carpeta de la configuración %2; los archivos incluidos deben estar dentro de ella</translation>
    </message>
</context>
<context>
    <name>ReportChart</name>
    <message>
        <source>Price and quality</source>
        <translation>Precio y calidad</translation>
    </message>
    <message>
        <source>Cost per 1,000 cases (USD, log scale)</source>
        <translation>Coste por 1000 casos (USD, escala logarítmica)</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>Calidad</translation>
    </message>
    <message>
        <source>cheaper and better</source>
        <translation>más barato y mejor</translation>
    </message>
    <message>
        <source>pricier and better</source>
        <translation>más caro y mejor</translation>
    </message>
    <message>
        <source>cheaper and worse</source>
        <translation>más barato y peor</translation>
    </message>
    <message>
        <source>pricier and worse</source>
        <translation>más caro y peor</translation>
    </message>
    <message>
        <source>No target has both a quality and a known cost yet.</source>
        <translation>Ningún objetivo tiene todavía a la vez una calidad y un coste conocido.</translation>
    </message>
    <message>
        <source>Not drawn (no quality or unknown cost): %1</source>
        <translation>No dibujados (sin calidad o con coste desconocido): %1</translation>
    </message>
    <message>
        <source>● target   ◉ on the Pareto frontier   │ 95% quality interval</source>
        <translation>● objetivo   ◉ en la frontera de Pareto   │ intervalo de calidad del 95&#xa0;%</translation>
    </message>
    <message>
        <source>Drawing a chart needs the graphical application (a QGuiApplication).</source>
        <translation>Para dibujar un gráfico se necesita la aplicación gráfica (una QGuiApplication).</translation>
    </message>
    <message>
        <source>The chart could not be encoded as PNG.</source>
        <translation>No se pudo codificar el gráfico como PNG.</translation>
    </message>
    <message>
        <source>The PDF writer could not start.</source>
        <translation>No se pudo iniciar el generador de PDF.</translation>
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
        <translation>%1: no se puede escribir: %2</translation>
    </message>
    <message>
        <source>%1: a report is .html, .pdf or .md</source>
        <translation>%1: un informe es .html, .pdf o .md</translation>
    </message>
    <message>
        <source>%1: a chart is .png, .svg or .pdf</source>
        <translation>%1: un gráfico es .png, .svg o .pdf</translation>
    </message>
</context>
<context>
    <name>ReportText</name>
    <message>
        <source>unknown</source>
        <translation>desconocido</translation>
    </message>
    <message>
        <source>Untitled suite</source>
        <translation>Suite sin título</translation>
    </message>
    <message>
        <source>%1: run report</source>
        <translation>%1: informe de ejecución</translation>
    </message>
    <message>
        <source>%1: run %2</source>
        <translation>%1: ejecución %2</translation>
    </message>
    <message>
        <source>Quality is the canonical wording&apos;s mean score over cases with its 95% bootstrap interval. ★ marks targets on the price/quality Pareto frontier. Unknown figures are shown as unknown, never as 0.</source>
        <translation>La calidad es la puntuación media de la formulación canónica sobre los casos, con su intervalo bootstrap del 95&#xa0;%. ★ marca los objetivos situados en la frontera de Pareto de precio/calidad. Las cifras desconocidas se muestran como desconocidas, nunca como 0.</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>Calidad</translation>
    </message>
    <message>
        <source>Each case&apos;s score (0–1, the weighted mean of its assertions) is averaged over its repeats; quality is the mean over cases of the canonical wording. A request that failed scores 0. The interval is a 95% percentile bootstrap over cases.</source>
        <translation>La puntuación de cada caso (0–1, la media ponderada de sus aserciones) se promedia sobre sus repeticiones; la calidad es la media sobre los casos de la formulación canónica. Una solicitud fallida puntúa 0. El intervalo es un bootstrap de percentiles del 95&#xa0;% sobre los casos.</translation>
    </message>
    <message>
        <source>Brittleness</source>
        <translation>Fragilidad</translation>
    </message>
    <message>
        <source>Canonical quality minus reworded quality, over the cases run in both forms, with a paired 95% bootstrap interval. Positive: the target does worse when the same question is asked differently.</source>
        <translation>Calidad canónica menos calidad reformulada, sobre los casos ejecutados de ambas formas, con un intervalo bootstrap pareado del 95&#xa0;%. Positiva: el objetivo rinde peor cuando la misma pregunta se formula de otra manera.</translation>
    </message>
    <message>
        <source>TTFT</source>
        <translation>TTFT</translation>
    </message>
    <message>
        <source>Time to first token: from sending the answering attempt to the first content of any kind (reasoning included).</source>
        <translation>Tiempo hasta el primer token: desde el envío del intento que responde hasta el primer contenido de cualquier tipo (razonamiento incluido).</translation>
    </message>
    <message>
        <source>TTFAT</source>
        <translation>TTFAT</translation>
    </message>
    <message>
        <source>Time to first answer token: to the first content that is not reasoning.</source>
        <translation>Tiempo hasta el primer token de respuesta: hasta el primer contenido que no es razonamiento.</translation>
    </message>
    <message>
        <source>Decode tok/s</source>
        <translation>Decodificación tok/s</translation>
    </message>
    <message>
        <source>Output tokens after the first chunk divided by the time from the first to the last content chunk. Needs two content chunks; estimated from characters (4 per token) when the provider reported no usage.</source>
        <translation>Tokens de salida posteriores al primer fragmento divididos por el tiempo transcurrido entre el primer y el último fragmento de contenido. Necesita dos fragmentos de contenido; se estima a partir de los caracteres (4 por token) cuando el proveedor no informó del uso.</translation>
    </message>
    <message>
        <source>ITL</source>
        <translation>ITL</translation>
    </message>
    <message>
        <source>Inter-token latency: (end-to-end − TTFT) ÷ (streamed tokens − 1).</source>
        <translation>Latencia entre tokens: (extremo a extremo − TTFT) ÷ (tokens transmitidos − 1).</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Latencia</translation>
    </message>
    <message>
        <source>End to end: from sending the answering attempt to the end of the response. p50 and p95 are nearest-rank percentiles (the ⌈q·n⌉-th smallest).</source>
        <translation>De extremo a extremo: desde el envío del intento que responde hasta el final de la respuesta. p50 y p95 son percentiles de rango más cercano (el ⌈q·n⌉-ésimo menor).</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Coste</translation>
    </message>
    <message>
        <source>From reported token usage, split into disjoint buckets: uncached input, cached input (cache reads), cache writes, output, and reasoning when it has its own price. Unknown when usage or a needed price is missing; a total is shown only when every cost is known.</source>
        <translation>A partir del uso de tokens informado, repartido en categorías disjuntas: entrada sin caché, entrada en caché (lecturas de caché), escrituras en caché, salida y razonamiento cuando este tiene su propio precio. Desconocido cuando falta el uso o algún precio necesario; solo se muestra un total cuando se conocen todos los costes.</translation>
    </message>
    <message>
        <source>Cost per 1k cases</source>
        <translation>Coste por 1000 casos</translation>
    </message>
    <message>
        <source>The mean cost of a case (all its repeats and wordings) × 1,000, over cases whose cost is known; unknown if any case&apos;s cost is.</source>
        <translation>El coste medio de un caso (todas sus repeticiones y formulaciones) × 1000, sobre los casos cuyo coste se conoce; desconocido si el de algún caso lo es.</translation>
    </message>
    <message>
        <source>Error rate</source>
        <translation>Tasa de errores</translation>
    </message>
    <message>
        <source>Share of requests that did not end with a complete answer (errors and truncated answers); cancelled requests are left out.</source>
        <translation>Proporción de solicitudes que no terminaron con una respuesta completa (errores y respuestas truncadas); las solicitudes canceladas se excluyen.</translation>
    </message>
    <message>
        <source>Pareto frontier</source>
        <translation>Frontera de Pareto</translation>
    </message>
    <message>
        <source>Targets that no other target beats on both cost per 1k cases and quality.</source>
        <translation>Objetivos a los que ningún otro objetivo supera a la vez en coste por 1000 casos y en calidad.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Ejecución</translation>
    </message>
    <message>
        <source>Suite</source>
        <translation>Suite</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Inicio</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>Fin</translation>
    </message>
    <message>
        <source>Repeats</source>
        <translation>Repeticiones</translation>
    </message>
    <message>
        <source>Rewordings</source>
        <translation>Reformulaciones</translation>
    </message>
    <message>
        <source>run</source>
        <translation>ejecutadas</translation>
    </message>
    <message>
        <source>not run</source>
        <translation>no ejecutadas</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Orden</translation>
    </message>
    <message>
        <source>one provider at a time</source>
        <translation>un proveedor cada vez</translation>
    </message>
    <message>
        <source>all providers at once, interleaved</source>
        <translation>todos los proveedores a la vez, intercalados</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Semilla</translation>
    </message>
    <message>
        <source>Concurrency</source>
        <translation>Concurrencia</translation>
    </message>
    <message>
        <source>%1 overall; per provider %2</source>
        <translation>%1 en total; %2 por proveedor</translation>
    </message>
    <message>
        <source>Spend cap</source>
        <translation>Límite de gasto</translation>
    </message>
    <message>
        <source>none</source>
        <translation>ninguno</translation>
    </message>
    <message>
        <source>Stopped early</source>
        <translation>Detenida antes de tiempo</translation>
    </message>
    <message>
        <source>no</source>
        <translation>no</translation>
    </message>
    <message>
        <source>App version</source>
        <translation>Versión de la aplicación</translation>
    </message>
    <message>
        <source>Price catalogue</source>
        <translation>Catálogo de precios</translation>
    </message>
    <message>
        <source>none (workspace prices only)</source>
        <translation>ninguno (solo precios del espacio de trabajo)</translation>
    </message>
    <message>
        <source>%1, commit %2</source>
        <translation>%1, confirmación %2</translation>
    </message>
    <message>
        <source>Catalogue date</source>
        <translation>Fecha del catálogo</translation>
    </message>
    <message>
        <source>simulated; workspace price</source>
        <translation>simulado; precio del espacio de trabajo</translation>
    </message>
    <message>
        <source>workspace price (not in the catalogue)</source>
        <translation>precio del espacio de trabajo (no está en el catálogo)</translation>
    </message>
    <message>
        <source>catalogue entry %1</source>
        <translation>entrada del catálogo %1</translation>
    </message>
    <message>
        <source>input %1, output %2 per million tokens</source>
        <translation>entrada %1, salida %2 por millón de tokens</translation>
    </message>
    <message>
        <source>%1: %2 = %3 (catalogue: %4)</source>
        <translation>%1: %2 = %3 (catálogo: %4)</translation>
    </message>
    <message>
        <source>no price</source>
        <translation>sin precio</translation>
    </message>
    <message>
        <source>Judge–human agreement</source>
        <translation>Acuerdo juez–humano</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Objetivo</translation>
    </message>
    <message>
        <source>Judge</source>
        <translation>Juez</translation>
    </message>
    <message>
        <source>n</source>
        <translation>n</translation>
    </message>
    <message>
        <source>Agreement</source>
        <translation>Acuerdo</translation>
    </message>
    <message>
        <source>κ</source>
        <translation>κ</translation>
    </message>
    <message>
        <source>all judges</source>
        <translation>todos los jueces</translation>
    </message>
    <message>
        <source>How often the judges&apos; pass/fail matched people&apos;s ratings (4 or 5 stars count as a pass), over the n answers both graded; κ is Cohen&apos;s kappa: 1 is perfect agreement, 0 what chance would give.</source>
        <translation>Con qué frecuencia el aprobado/suspenso de los jueces coincidió con las valoraciones de personas (4 o 5 estrellas cuentan como aprobado), sobre las n respuestas calificadas por ambos; κ es la kappa de Cohen: 1 es acuerdo perfecto, 0 lo que daría el azar.</translation>
    </message>
</context>
<context>
    <name>RequestBuilder</name>
    <message>
        <source>Unknown reasoning effort &quot;%1&quot; (expected low, medium or high)</source>
        <translation>Esfuerzo de razonamiento desconocido &quot;%1&quot; (se esperaba low, medium o high)</translation>
    </message>
    <message>
        <source>Reasoning effort &quot;%1&quot; needs a thinking budget of %2 tokens, but max_tokens is %3; raise max_tokens above %2</source>
        <translation>El esfuerzo de razonamiento &quot;%1&quot; necesita un presupuesto de razonamiento de %2 tokens, pero max_tokens es %3; aumente max_tokens por encima de %2</translation>
    </message>
    <message>
        <source>Provider %1 uses the embedded simulator, which is not running</source>
        <translation>El proveedor %1 usa el simulador integrado, que no está en marcha</translation>
    </message>
    <message>
        <source>Provider %1: &quot;%2&quot; is not an http(s) URL</source>
        <translation>Proveedor %1: &quot;%2&quot; no es una URL http(s)</translation>
    </message>
    <message>
        <source>Provider %1: the base URL must not carry credentials, a query or a fragment; keys belong in the keychain or an environment variable</source>
        <translation>Proveedor %1: la URL base no debe llevar credenciales, consulta ni fragmento; las claves van en el llavero o en una variable de entorno</translation>
    </message>
    <message>
        <source>Target %1 names no model</source>
        <translation>El objetivo %1 no indica ningún modelo</translation>
    </message>
    <message>
        <source>No API key for provider %1: set %2 in the environment or store it with &quot;slopscope-cli keys set %2&quot;</source>
        <translation>No hay clave de API para el proveedor %1: establezca %2 en el entorno o guárdela con &quot;slopscope-cli keys set %2&quot;</translation>
    </message>
    <message>
        <source>Provider %1: %2</source>
        <translation>Proveedor %1: %2</translation>
    </message>
    <message>
        <source>Provider %1: the header %2 needs the secret %3: set %3 in the environment or store it with &quot;slopscope-cli keys set %3&quot;</source>
        <translation>Proveedor %1: la cabecera %2 necesita el secreto %3: defina %3 en el entorno o guárdelo con &quot;slopscope-cli keys set %3&quot;</translation>
    </message>
    <message>
        <source>the API key</source>
        <translation>la clave de API</translation>
    </message>
    <message>
        <source>the secret header %1</source>
        <translation>la cabecera secreta %1</translation>
    </message>
    <message>
        <source>Refusing to send %1 of provider %2 over plain HTTP to %3; use https, or mark the provider &quot;allow_insecure_key&quot; if this network is trusted</source>
        <translation>Se rechaza enviar %1 del proveedor %2 por HTTP sin cifrar a %3; use https o marque el proveedor con &quot;allow_insecure_key&quot; si esta red es de confianza</translation>
    </message>
    <message>
        <source>Anthropic&apos;s extended thinking allows only tool_choice &quot;auto&quot; or &quot;none&quot;; drop reasoning effort &quot;%1&quot; or the forced tool choice</source>
        <translation>El pensamiento extendido de Anthropic solo admite tool_choice &quot;auto&quot; o &quot;none&quot;; quite el esfuerzo de razonamiento &quot;%1&quot; o la elección forzada de herramienta</translation>
    </message>
</context>
<context>
    <name>RetryPolicy</name>
    <message>
        <source>quota or spend limit reached; not retried</source>
        <translation>se alcanzó el límite de cuota o de gasto; no se reintenta</translation>
    </message>
    <message>
        <source>the provider asks to retry after %1; not waiting that long</source>
        <translation>el proveedor pide reintentar tras %1; no se esperará tanto</translation>
    </message>
</context>
<context>
    <name>RoutingFetch</name>
    <message>
        <source>The workspace has no usable target &quot;%1&quot; to ask.</source>
        <translation>El espacio de trabajo no tiene un destino utilizable «%1» al que preguntar.</translation>
    </message>
</context>
<context>
    <name>RoutingPolicy</name>
    <message>
        <source>%1: expected an object</source>
        <translation>%1: se esperaba un objeto</translation>
    </message>
    <message>
        <source>%1: unknown kind &quot;%2&quot; (expected cascade, by-tag or best-of-n)</source>
        <translation>%1: tipo desconocido &quot;%2&quot; (se esperaba cascade, by-tag o best-of-n)</translation>
    </message>
    <message>
        <source>%1: not used by a %2 policy</source>
        <translation>%1: no se usa en una política %2</translation>
    </message>
    <message>
        <source>%1[%2]: expected a target id</source>
        <translation>%1[%2]: se esperaba un id de objetivo</translation>
    </message>
    <message>
        <source>%1: a policy needs a name</source>
        <translation>%1: una política necesita un nombre</translation>
    </message>
    <message>
        <source>%1: a cascade needs at least one stage</source>
        <translation>%1: una cascada necesita al menos una etapa</translation>
    </message>
    <message>
        <source>%1.target: empty target id</source>
        <translation>%1.target: id de objetivo vacío</translation>
    </message>
    <message>
        <source>%1.validator: the last stage has nothing to escalate to</source>
        <translation>%1.validator: la última etapa no tiene a qué escalar</translation>
    </message>
    <message>
        <source>%1.validator: missing (a target id or &quot;%2&quot; is required before another stage)</source>
        <translation>%1.validator: falta (se requiere un id de objetivo o &quot;%2&quot; antes de otra etapa)</translation>
    </message>
    <message>
        <source>%1.threshold: must be between 0 and 1</source>
        <translation>%1.threshold: debe estar entre 0 y 1</translation>
    </message>
    <message>
        <source>%1: empty target id</source>
        <translation>%1: id de objetivo vacío</translation>
    </message>
    <message>
        <source>%1.tag: empty tag</source>
        <translation>%1.tag: etiqueta vacía</translation>
    </message>
    <message>
        <source>%1.tag: tag &quot;%2&quot; already has a rule</source>
        <translation>%1.tag: la etiqueta &quot;%2&quot; ya tiene una regla</translation>
    </message>
    <message>
        <source>%1: best-of-n needs at least two candidates</source>
        <translation>%1: best-of-n necesita al menos dos candidatos</translation>
    </message>
    <message>
        <source>%1[%2]: empty target id</source>
        <translation>%1[%2]: id de objetivo vacío</translation>
    </message>
    <message>
        <source>%1[%2]: &quot;%3&quot; is already a candidate</source>
        <translation>%1[%2]: &quot;%3&quot; ya es un candidato</translation>
    </message>
    <message>
        <source>%1: a routing policy file must be a JSON object</source>
        <translation>%1: un archivo de políticas de enrutamiento debe ser un objeto JSON</translation>
    </message>
    <message>
        <source>version: %1 is newer than this Slopscope reads (%2)</source>
        <translation>version: %1 es más reciente de lo que puede leer este Slopscope (%2)</translation>
    </message>
    <message>
        <source>%1.name: duplicate policy name &quot;%2&quot;</source>
        <translation>%1.name: nombre de política duplicado &quot;%2&quot;</translation>
    </message>
    <message>
        <source>Cannot open routing policies %1: %2</source>
        <translation>No se pueden abrir las políticas de enrutamiento %1: %2</translation>
    </message>
    <message>
        <source>%1: larger than %2 bytes, not a policy file</source>
        <translation>%1: ocupa más de %2 bytes; no es un archivo de políticas</translation>
    </message>
    <message>
        <source>Cannot write routing policies %1: %2</source>
        <translation>No se pueden escribir las políticas de enrutamiento %1: %2</translation>
    </message>
</context>
<context>
    <name>RunCommand</name>
    <message>
        <source>History database: %1. Stopping the run.</source>
        <translation>Base de datos del historial: %1. Deteniendo la ejecución.</translation>
    </message>
    <message>
        <source>Running %1: %2 request(s), run %3…</source>
        <translation>Ejecutando %1: %2 solicitud(es), ejecución %3…</translation>
    </message>
    <message>
        <source>target</source>
        <translation>objetivo</translation>
    </message>
    <message>
        <source>quality</source>
        <translation>calidad</translation>
    </message>
    <message>
        <source>95% interval</source>
        <translation>Intervalo del 95%</translation>
    </message>
    <message>
        <source>$/1k cases</source>
        <translation>$/1000 casos</translation>
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
        <translation>$%1 gastados; fallaron %2 de %3 solicitud(es)%4</translation>
    </message>
    <message>
        <source>Recorded as run %1 in %2.</source>
        <translation>Registrada como ejecución %1 en %2.</translation>
    </message>
    <message>
        <source>Interrupted: the run did not complete.</source>
        <translation>Interrumpida: la ejecución no se completó.</translation>
    </message>
    <message>
        <source>No request was answered: the run could not complete.</source>
        <translation>No se respondió ninguna solicitud: la ejecución no pudo completarse.</translation>
    </message>
    <message>
        <source>Gate failed: the spend cap of $%1 was reached before the run finished.</source>
        <translation>Condición no superada: se alcanzó el límite de gasto de $%1 antes de que terminara la ejecución.</translation>
    </message>
    <message>
        <source>Gate failed: %1</source>
        <translation>Condición no superada: %1</translation>
    </message>
    <message>
        <source>Run a suite against targets and print one line per target.</source>
        <translation>Ejecutar una batería con varios objetivos e imprimir una línea por objetivo.</translation>
    </message>
    <message>
        <source>Use the bundled demo workspace and the simulator.</source>
        <translation>Usar el espacio de trabajo de demostración incluido y el simulador.</translation>
    </message>
    <message>
        <source>Suite file or demo suite name.</source>
        <translation>Archivo de batería o nombre de una batería de demostración.</translation>
    </message>
    <message>
        <source>suite</source>
        <translation>batería</translation>
    </message>
    <message>
        <source>Workspace file.</source>
        <translation>Archivo de espacio de trabajo.</translation>
    </message>
    <message>
        <source>file</source>
        <translation>archivo</translation>
    </message>
    <message>
        <source>Comma-separated target ids.</source>
        <translation>Ids de objetivo separados por comas.</translation>
    </message>
    <message>
        <source>ids</source>
        <translation>ids</translation>
    </message>
    <message>
        <source>Samples per case.</source>
        <translation>Muestras por caso.</translation>
    </message>
    <message>
        <source>k</source>
        <translation>k</translation>
    </message>
    <message>
        <source>Requests in flight at once, over all providers.</source>
        <translation>Solicitudes simultáneas en curso, entre todos los proveedores.</translation>
    </message>
    <message>
        <source>Also run each case&apos;s rewordings.</source>
        <translation>Ejecutar también las reformulaciones de cada caso.</translation>
    </message>
    <message>
        <source>Measure providers one after another (clean speed figures).</source>
        <translation>Medir los proveedores uno tras otro (cifras de velocidad limpias).</translation>
    </message>
    <message>
        <source>Seed of the dispatch order and statistics.</source>
        <translation>Semilla del orden de envío y de las estadísticas.</translation>
    </message>
    <message>
        <source>s</source>
        <translation>semilla</translation>
    </message>
    <message>
        <source>Stop dispatching once the run has spent this many US dollars (exit 1).</source>
        <translation>Dejar de enviar solicitudes cuando la ejecución haya gastado esta cantidad de dólares estadounidenses (código de salida 1).</translation>
    </message>
    <message>
        <source>usd</source>
        <translation>usd</translation>
    </message>
    <message>
        <source>Exit 1 when a target&apos;s figure is under a minimum: quality=0.8, quality_ci_low=0.7, TARGET:quality=80%. May be repeated.</source>
        <translation>Salir con código 1 cuando una cifra de un objetivo quede por debajo de un mínimo: quality=0.8, quality_ci_low=0.7, OBJETIVO:quality=80%. Puede repetirse.</translation>
    </message>
    <message>
        <source>gate</source>
        <translation>condición</translation>
    </message>
    <message>
        <source>Run only slice I of N of the cases (stable by case id), e.g. 2/4.</source>
        <translation>Ejecutar solo la porción I de N de los casos (estable según el id del caso), p. ej. 2/4.</translation>
    </message>
    <message>
        <source>i/n</source>
        <translation>i/n</translation>
    </message>
    <message>
        <source>Target that grades llm-rubric, factuality and select-best assertions.</source>
        <translation>Objetivo que califica las aserciones llm-rubric, factuality y select-best.</translation>
    </message>
    <message>
        <source>Unexpected argument &quot;%1&quot;.</source>
        <translation>Argumento inesperado &quot;%1&quot;.</translation>
    </message>
    <message>
        <source>Give either --demo or --workspace FILE.</source>
        <translation>Indique --demo o --workspace ARCHIVO.</translation>
    </message>
    <message>
        <source>--repeat takes a whole number of at least 1.</source>
        <translation>--repeat requiere un número entero mayor o igual que 1.</translation>
    </message>
    <message>
        <source>--concurrency takes a whole number from 1 to 4096.</source>
        <translation>--concurrency requiere un número entero de 1 a 4096.</translation>
    </message>
    <message>
        <source>--seed takes a whole number.</source>
        <translation>--seed requiere un número entero.</translation>
    </message>
    <message>
        <source>--max-cost takes a positive number of US dollars, e.g. 0.50.</source>
        <translation>--max-cost requiere un número positivo de dólares estadounidenses, p. ej. 0.50.</translation>
    </message>
    <message>
        <source>Shard %1/%2 holds none of the suite&apos;s %3 case(s); nothing to run.</source>
        <translation>La partición %1/%2 no contiene ninguno de los %3 caso(s) de la batería; no hay nada que ejecutar.</translation>
    </message>
    <message>
        <source>--judge %1: the workspace has no such target.</source>
        <translation>--judge %1: el espacio de trabajo no tiene ese objetivo.</translation>
    </message>
    <message>
        <source>No suite &quot;%1&quot;: give a file, or one of the demo suites facts, code, benchmark, tools, chains.</source>
        <translation>No existe la suite &quot;%1&quot;: indique un archivo o una de las suites de demostración facts, code, benchmark, tools, chains.</translation>
    </message>
    <message>
        <source>Send again an answer that broke off mid-stream; the new answer replaces it (costs tokens twice).</source>
        <translation>Volver a enviar una respuesta que se cortó a mitad del flujo; la nueva respuesta la sustituye (cuesta tokens dos veces).</translation>
    </message>
    <message>
        <source>Do not open the first requests&apos; connections before sending them (their TTFT then includes connection set-up, as a cold client&apos;s would).</source>
        <translation>No abrir las conexiones de las primeras solicitudes antes de enviarlas (su TTFT incluye entonces el establecimiento de la conexión, como ocurriría con un cliente en frío).</translation>
    </message>
</context>
<context>
    <name>RunGate</name>
    <message>
        <source>--shard &quot;%1&quot;: expected I/N with 1 ≤ I ≤ N, e.g. 2/4.</source>
        <translation>--shard &quot;%1&quot;: se esperaba I/N con 1 ≤ I ≤ N, p. ej. 2/4.</translation>
    </message>
    <message>
        <source>--fail-under &quot;%1&quot;: expected FIGURE=VALUE, e.g. quality=0.8.</source>
        <translation>--fail-under &quot;%1&quot;: se esperaba CIFRA=VALOR, p. ej. quality=0.8.</translation>
    </message>
    <message>
        <source>--fail-under &quot;%1&quot;: the target before &apos;:&apos; is empty.</source>
        <translation>--fail-under &quot;%1&quot;: el objetivo antes de &apos;:&apos; está vacío.</translation>
    </message>
    <message>
        <source>--fail-under &quot;%1&quot;: unknown figure &quot;%2&quot; (use quality or quality_ci_low).</source>
        <translation>--fail-under &quot;%1&quot;: cifra desconocida &quot;%2&quot; (use quality o quality_ci_low).</translation>
    </message>
    <message>
        <source>--fail-under &quot;%1&quot;: &quot;%2&quot; is not a number.</source>
        <translation>--fail-under &quot;%1&quot;: &quot;%2&quot; no es un número.</translation>
    </message>
    <message>
        <source>--fail-under &quot;%1&quot;: the minimum must lie between 0 and 1 (or 0% and 100%).</source>
        <translation>--fail-under &quot;%1&quot;: el mínimo debe estar entre 0 y 1 (o entre 0&#xa0;% y 100&#xa0;%).</translation>
    </message>
    <message>
        <source>%1: no %2 to check (no graded case)</source>
        <translation>%1: no hay %2 que comprobar (ningún caso calificado)</translation>
    </message>
    <message>
        <source>%1: %2 %3 is under %4</source>
        <translation>%1: %2 %3 es inferior a %4</translation>
    </message>
    <message>
        <source>%1: no such target in this run</source>
        <translation>%1: no existe ese objetivo en esta ejecución</translation>
    </message>
    <message>
        <source>(any)</source>
        <translation>(cualquiera)</translation>
    </message>
</context>
<context>
    <name>RunOutputs</name>
    <message>
        <source>History database (default: the one the app uses).</source>
        <translation>Base de datos del historial (predeterminada: la que usa la aplicación).</translation>
    </message>
    <message>
        <source>file</source>
        <translation>archivo</translation>
    </message>
    <message>
        <source>Do not record the run in any database.</source>
        <translation>No registrar la ejecución en ninguna base de datos.</translation>
    </message>
    <message>
        <source>Write one JSON line per result as it is recorded.</source>
        <translation>Escribir una línea JSON por resultado a medida que se registra.</translation>
    </message>
    <message>
        <source>Write the per-target summary (JSON).</source>
        <translation>Escribir el resumen por objetivo (JSON).</translation>
    </message>
    <message>
        <source>file.json</source>
        <translation>archivo.json</translation>
    </message>
    <message>
        <source>Write a report: .html, .pdf or .md. May be repeated.</source>
        <translation>Escribir un informe: .html, .pdf o .md. Puede repetirse.</translation>
    </message>
    <message>
        <source>Write the price/quality chart: .png, .svg or .pdf. May be repeated.</source>
        <translation>Escribir el gráfico de precio/calidad: .png, .svg o .pdf. Puede repetirse.</translation>
    </message>
    <message>
        <source>Write one CSV row per result.</source>
        <translation>Escribir una fila CSV por resultado.</translation>
    </message>
    <message>
        <source>Give --db FILE or --no-db, not both.</source>
        <translation>Indique --db ARCHIVO o --no-db, no ambos.</translation>
    </message>
    <message>
        <source>--report %1: the file must end in .html, .pdf or .md.</source>
        <translation>--report %1: el archivo debe terminar en .html, .pdf o .md.</translation>
    </message>
    <message>
        <source>--chart %1: the file must end in .png, .svg or .pdf.</source>
        <translation>--chart %1: el archivo debe terminar en .png, .svg o .pdf.</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>No se puede escribir %1: %2</translation>
    </message>
    <message>
        <source>%1 result(s) could not be saved to %2; they are left out of %3.</source>
        <translation>%1 resultado(s) no se pudieron guardar en %2; se excluyen de %3.</translation>
    </message>
</context>
<context>
    <name>RunSnapshot</name>
    <message>
        <source>Run %1: its %2 snapshot cannot be read back.</source>
        <translation>Ejecución %1: no se puede volver a leer su instantánea de %2.</translation>
    </message>
    <message>
        <source>The run used provider &quot;%1&quot;, which the workspace lacks.</source>
        <translation>La ejecución usó el proveedor &quot;%1&quot;, que no está en el espacio de trabajo.</translation>
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
        <translation>No se puede actualizar el índice de búsqueda de %1: %2</translation>
    </message>
</context>
<context>
    <name>SimAnswerKey</name>
    <message>
        <source>%1: a suite must be an object with &quot;name&quot; and &quot;cases&quot;</source>
        <translation>%1: una batería debe ser un objeto con &quot;name&quot; y &quot;cases&quot;</translation>
    </message>
    <message>
        <source>%1: %2: expected an object</source>
        <translation>%1: %2: se esperaba un objeto</translation>
    </message>
    <message>
        <source>%1: no prompt and no user message</source>
        <translation>%1: no hay ni instrucción ni mensaje de usuario</translation>
    </message>
    <message>
        <source>%1: the suite has no cases</source>
        <translation>%1: la batería no tiene casos</translation>
    </message>
    <message>
        <source>%1: cannot open: %2</source>
        <translation>%1: no se puede abrir: %2</translation>
    </message>
</context>
<context>
    <name>SimFault</name>
    <message>
        <source>unknown fault &quot;%1&quot;</source>
        <translation>fallo desconocido &quot;%1&quot;</translation>
    </message>
    <message>
        <source>fault parameter &quot;%1&quot; is not of the form name=value</source>
        <translation>el parámetro de fallo &quot;%1&quot; no tiene la forma nombre=valor</translation>
    </message>
    <message>
        <source>fault parameter &quot;%1&quot; needs a non-negative number</source>
        <translation>el parámetro de fallo &quot;%1&quot; necesita un número no negativo</translation>
    </message>
    <message>
        <source>unknown fault parameter &quot;%1&quot;</source>
        <translation>parámetro de fallo desconocido &quot;%1&quot;</translation>
    </message>
    <message>
        <source>server_error status must be 500, 502 or 503</source>
        <translation>el estado de server_error debe ser 500, 502 o 503</translation>
    </message>
    <message>
        <source>redirect status must be 301, 302, 307 or 308</source>
        <translation>el estado de redirect debe ser 301, 302, 307 o 308</translation>
    </message>
    <message>
        <source>port must be at most 65535</source>
        <translation>el puerto debe ser como máximo 65535</translation>
    </message>
</context>
<context>
    <name>SimLog</name>
    <message>
        <source>%1: cannot write the log: %2</source>
        <translation>%1: no se puede escribir el registro: %2</translation>
    </message>
</context>
<context>
    <name>SimPersonas</name>
    <message>
        <source>%1: expected an object</source>
        <translation>%1: se esperaba un objeto</translation>
    </message>
    <message>
        <source>%1: probabilities must be between 0 and 1</source>
        <translation>%1: las probabilidades deben estar entre 0 y 1</translation>
    </message>
    <message>
        <source>%1: unknown dialect &quot;%2&quot;</source>
        <translation>%1: dialecto desconocido &quot;%2&quot;</translation>
    </message>
    <message>
        <source>%1: expected dialect names</source>
        <translation>%1: se esperaban nombres de dialecto</translation>
    </message>
    <message>
        <source>%1: median must be 0 to 600000 ms and spread 0 to 3</source>
        <translation>%1: la mediana debe estar entre 0 y 600000 ms y la dispersión entre 0 y 3</translation>
    </message>
    <message>
        <source>%1: must be between 0.1 and 1000000</source>
        <translation>%1: debe estar entre 0.1 y 1000000</translation>
    </message>
    <message>
        <source>%1: spread must be between 0 and 3</source>
        <translation>%1: la dispersión debe estar entre 0 y 3</translation>
    </message>
    <message>
        <source>%1: a price cannot be negative</source>
        <translation>%1: un precio no puede ser negativo</translation>
    </message>
    <message>
        <source>%1.categories: expected an object</source>
        <translation>%1.categories: se esperaba un objeto</translation>
    </message>
    <message>
        <source>%1: probability must be between 0 and 1</source>
        <translation>%1: la probabilidad debe estar entre 0 y 1</translation>
    </message>
    <message>
        <source>%1: expected an object with a &quot;personas&quot; array</source>
        <translation>%1: se esperaba un objeto con un array &quot;personas&quot;</translation>
    </message>
    <message>
        <source>%1: %2: duplicate persona id &quot;%3&quot;</source>
        <translation>%1: %2: id de perfil duplicado &quot;%3&quot;</translation>
    </message>
    <message>
        <source>%1: the &quot;personas&quot; array is empty</source>
        <translation>%1: el array &quot;personas&quot; está vacío</translation>
    </message>
    <message>
        <source>%1: cannot open: %2</source>
        <translation>%1: no se puede abrir: %2</translation>
    </message>
</context>
<context>
    <name>Slopscope::AddTargetDialog</name>
    <message>
        <source>Add Target</source>
        <translation>Añadir objetivo</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Origen</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <source>choose or type a model</source>
        <translation>elija o escriba un modelo</translation>
    </message>
    <message>
        <source>Target id</source>
        <translation>Id del objetivo</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>Etiqueta</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>Color</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>desconocido</translation>
    </message>
    <message>
        <source>Input price per million tokens</source>
        <translation>Precio de entrada por millón de tokens</translation>
    </message>
    <message>
        <source>Output price per million tokens</source>
        <translation>Precio de salida por millón de tokens</translation>
    </message>
    <message>
        <source>provider default</source>
        <translation>predeterminado del proveedor</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>Temperatura</translation>
    </message>
    <message>
        <source>Maximum output tokens</source>
        <translation>Máximo de tokens de salida</translation>
    </message>
    <message>
        <source>Reasoning effort</source>
        <translation>Esfuerzo de razonamiento</translation>
    </message>
    <message>
        <source>&amp;Source:</source>
        <translation>&amp;Origen:</translation>
    </message>
    <message>
        <source>&amp;Model:</source>
        <translation>&amp;Modelo:</translation>
    </message>
    <message>
        <source>Target i&amp;d:</source>
        <translation>I&amp;d del objetivo:</translation>
    </message>
    <message>
        <source>&amp;Label:</source>
        <translation>&amp;Etiqueta:</translation>
    </message>
    <message>
        <source>&amp;Colour:</source>
        <translation>&amp;Color:</translation>
    </message>
    <message>
        <source>&amp;Input $/Mtok:</source>
        <translation>E&amp;ntrada $/Mtok:</translation>
    </message>
    <message>
        <source>&amp;Output $/Mtok:</source>
        <translation>&amp;Salida $/Mtok:</translation>
    </message>
    <message>
        <source>&amp;Temperature:</source>
        <translation>&amp;Temperatura:</translation>
    </message>
    <message>
        <source>Max to&amp;kens:</source>
        <translation>Máx. to&amp;kens:</translation>
    </message>
    <message>
        <source>&amp;Reasoning effort:</source>
        <translation>Esfuerzo de &amp;razonamiento:</translation>
    </message>
    <message>
        <source>%1 (in this workspace)</source>
        <translation>%1 (en este espacio de trabajo)</translation>
    </message>
    <message>
        <source>%1 (preset, %2)</source>
        <translation>%1 (predefinido, %2)</translation>
    </message>
    <message>
        <source>%1 (preset)</source>
        <translation>%1 (predefinido)</translation>
    </message>
    <message>
        <source>Looking for local servers…</source>
        <translation>Buscando servidores locales…</translation>
    </message>
    <message numerus="yes">
        <source>%1 at %2 (found, %n model(s))</source>
        <translation>
            <numerusform>%1 en %2 (encontrado, %n modelo)</numerusform>
            <numerusform>%1 en %2 (encontrado, %n modelos)</numerusform>
        </translation>
    </message>
    <message>
        <source>No local server answered on its default port.</source>
        <translation>Ningún servidor local respondió en su puerto predeterminado.</translation>
    </message>
    <message numerus="yes">
        <source>Found %n local server(s).</source>
        <translation>
            <numerusform>Se encontró %n servidor local.</numerusform>
            <numerusform>Se encontraron %n servidores locales.</numerusform>
        </translation>
    </message>
    <message>
        <source>Leave a price empty when it is unknown.</source>
        <translation>Deje un precio vacío cuando sea desconocido.</translation>
    </message>
    <message>
        <source>No price catalogue: leave a price empty when it is unknown.</source>
        <translation>No hay catálogo de precios: deje un precio vacío cuando sea desconocido.</translation>
    </message>
    <message>
        <source>“%1” is not in the price catalogue of %2: leave the prices empty for unknown, or enter them.</source>
        <translation>«%1» no está en el catálogo de precios del %2: deje los precios vacíos si son desconocidos o introdúzcalos.</translation>
    </message>
    <message>
        <source>From the price catalogue of %1 (%2), for short prompts; edit to override.</source>
        <translation>Del catálogo de precios del %1 (%2), para instrucciones cortas; edítelo para sustituirlo.</translation>
    </message>
    <message>
        <source>From the price catalogue of %1 (%2); edit to override.</source>
        <translation>Del catálogo de precios del %1 (%2); edítelo para sustituirlo.</translation>
    </message>
    <message>
        <source>Target Colour</source>
        <translation>Color del objetivo</translation>
    </message>
    <message>
        <source>Choose where the model runs.</source>
        <translation>Elija dónde se ejecuta el modelo.</translation>
    </message>
    <message>
        <source>Choose or type a model.</source>
        <translation>Elija o escriba un modelo.</translation>
    </message>
    <message>
        <source>Give the target an id.</source>
        <translation>Asigne un id al objetivo.</translation>
    </message>
    <message>
        <source>A target with the id “%1” already exists: choose another id.</source>
        <translation>Ya existe un objetivo con el id «%1»: elija otro id.</translation>
    </message>
    <message>
        <source>“%1” is not a valid %2.</source>
        <translation>«%1» no es un valor válido para %2.</translation>
    </message>
</context>
<context>
    <name>Slopscope::AppearanceSettingsPage</name>
    <message>
        <source>Theme</source>
        <translation>Tema</translation>
    </message>
    <message>
        <source>&amp;System (the desktop&apos;s style and colours)</source>
        <translation>&amp;Sistema (estilo y colores del escritorio)</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>C&amp;laro</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>&amp;Oscuro</translation>
    </message>
    <message>
        <source>The theme changes at once and is kept for the next start.</source>
        <translation>El tema cambia de inmediato y se conserva para el próximo inicio.</translation>
    </message>
</context>
<context>
    <name>Slopscope::ArenaDialog</name>
    <message>
        <source>Blind Arena</source>
        <translation>Arena a ciegas</translation>
    </message>
    <message>
        <source>&amp;Vote</source>
        <translation>&amp;Votar</translation>
    </message>
    <message>
        <source>&amp;Ranking</source>
        <translation>&amp;Clasificación</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>Pregunta</translation>
    </message>
    <message>
        <source>Answer A</source>
        <translation>Respuesta A</translation>
    </message>
    <message>
        <source>Answer B</source>
        <translation>Respuesta B</translation>
    </message>
    <message>
        <source>Note (optional), saved with the next vote</source>
        <translation>Nota (opcional), se guarda con el siguiente voto</translation>
    </message>
    <message>
        <source>← A is better</source>
        <translation>← A es mejor</translation>
    </message>
    <message>
        <source>Tie</source>
        <translation>Empate</translation>
    </message>
    <message>
        <source>B is better →</source>
        <translation>B es mejor →</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>Omitir</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Deshacer</translation>
    </message>
    <message>
        <source>Keys: ← or 1 for A, ↓, T or 2 for a tie, → or 3 for B, S to skip, Ctrl+Z to undo. Which target wrote which answer shows only in the Ranking.</source>
        <translation>Teclas: ← o 1 para A, ↓, T o 2 para empate, → o 3 para B, S para omitir, Ctrl+Z para deshacer. Qué objetivo escribió cada respuesta solo se muestra en la Clasificación.</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Objetivo</translation>
    </message>
    <message>
        <source>Strength</source>
        <translation>Fuerza</translation>
    </message>
    <message>
        <source>95% interval</source>
        <translation>Intervalo del 95%</translation>
    </message>
    <message>
        <source>Wins</source>
        <translation>Victorias</translation>
    </message>
    <message>
        <source>Ties</source>
        <translation>Empates</translation>
    </message>
    <message>
        <source>Losses</source>
        <translation>Derrotas</translation>
    </message>
    <message>
        <source>Votes</source>
        <translation>Votos</translation>
    </message>
    <message numerus="yes">
        <source>Pair %1 of %2 · %n vote(s) so far</source>
        <translation>
            <numerusform>Par %1 de %2 · %n voto hasta ahora</numerusform>
            <numerusform>Par %1 de %2 · %n votos hasta ahora</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Nothing to compare: the arena needs answers from at least two targets to the same case. · %n vote(s)</source>
        <translation>
            <numerusform>Nada que comparar: la arena necesita respuestas de al menos dos objetivos al mismo caso. · %n voto</numerusform>
            <numerusform>Nada que comparar: la arena necesita respuestas de al menos dos objetivos al mismo caso. · %n votos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>All %1 pairs seen · %n vote(s). See the Ranking tab.</source>
        <translation>
            <numerusform>Vistos los %1 pares · %n voto. Consulte la pestaña Clasificación.</numerusform>
            <numerusform>Vistos los %1 pares · %n votos. Consulte la pestaña Clasificación.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Ranking %n vote(s)…</source>
        <translation>
            <numerusform>Clasificando %n voto…</numerusform>
            <numerusform>Clasificando %n votos…</numerusform>
        </translation>
    </message>
    <message>
        <source>No votes yet: the ranking appears once answers have been compared.</source>
        <translation>Aún no hay votos: la clasificación aparece cuando se han comparado respuestas.</translation>
    </message>
    <message numerus="yes">
        <source>Bradley–Terry strengths from %n vote(s) (a tie counts half to each), with 95% bootstrap intervals. Strengths sum to 1; overlapping intervals mean the votes do not separate the targets.</source>
        <translation>
            <numerusform>Fuerzas Bradley–Terry a partir de %n voto (un empate cuenta la mitad para cada uno), con intervalos bootstrap del 95%. Las fuerzas suman 1; si los intervalos se solapan, los votos no distinguen los objetivos.</numerusform>
            <numerusform>Fuerzas Bradley–Terry a partir de %n votos (un empate cuenta la mitad para cada uno), con intervalos bootstrap del 95%. Las fuerzas suman 1; si los intervalos se solapan, los votos no distinguen los objetivos.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 – %2</source>
        <translation>%1 – %2</translation>
    </message>
    <message>
        <source>This session&apos;s run (not recorded)</source>
        <translation>Ejecución de esta sesión (no registrada)</translation>
    </message>
    <message>
        <source>Run to vote on</source>
        <translation>Ejecución sobre la que votar</translation>
    </message>
    <message>
        <source>Vote on another recorded run: suite runs of two or more targets</source>
        <translation>Votar sobre otra ejecución registrada: ejecuciones de suite de dos o más objetivos</translation>
    </message>
    <message>
        <source>R&amp;un:</source>
        <translation>&amp;Ejecución:</translation>
    </message>
    <message>
        <source>Cannot list the recorded runs: %1</source>
        <translation>No se pueden listar las ejecuciones registradas: %1</translation>
    </message>
    <message>
        <source>Cannot open the run: %1</source>
        <translation>No se puede abrir la ejecución: %1</translation>
    </message>
    <message>
        <source>Blind Arena (votes kept until closed: this run is not recorded)</source>
        <translation>Arena a ciegas (votos conservados hasta cerrar: esta ejecución no se registra)</translation>
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
            <numerusform>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;iniciada %2&lt;br&gt;%n objetivo: %3</numerusform>
            <numerusform>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;iniciada %2&lt;br&gt;%n objetivos: %3</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Slopscope::ArenaSession</name>
    <message>
        <source>(The prompt of case %1 is not in the run&apos;s suite.)</source>
        <translation>(El prompt del caso %1 no está en la suite de la ejecución.)</translation>
    </message>
</context>
<context>
    <name>Slopscope::AssertionsEditor</name>
    <message>
        <source>Type</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valor</translation>
    </message>
    <message>
        <source>Threshold</source>
        <translation>Umbral</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>Peso</translation>
    </message>
    <message>
        <source>Add assertion</source>
        <translation>Añadir aserción</translation>
    </message>
    <message>
        <source>Remove assertion</source>
        <translation>Quitar aserción</translation>
    </message>
    <message>
        <source>Assertion type</source>
        <translation>Tipo de aserción</translation>
    </message>
    <message>
        <source>value</source>
        <translation>valor</translation>
    </message>
    <message>
        <source>Assertion %1 (%2): the value is not valid JSON: %3</source>
        <translation>Aserción %1 (%2): el valor no es JSON válido: %3</translation>
    </message>
    <message>
        <source>Assertion %1: the threshold &quot;%2&quot; is not a number</source>
        <translation>Aserción %1: el umbral &quot;%2&quot; no es un número</translation>
    </message>
    <message>
        <source>Assertion %1: the weight &quot;%2&quot; is not a number of at least 0</source>
        <translation>Aserción %1: el peso &quot;%2&quot; no es un número mayor o igual que 0</translation>
    </message>
</context>
<context>
    <name>Slopscope::CaseForm</name>
    <message>
        <source>Case id</source>
        <translation>Id del caso</translation>
    </message>
    <message>
        <source>&amp;Id</source>
        <translation>&amp;Id</translation>
    </message>
    <message>
        <source>id</source>
        <translation>id</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Descripción</translation>
    </message>
    <message>
        <source>D&amp;escription</source>
        <translation>D&amp;escripción</translation>
    </message>
    <message>
        <source>description</source>
        <translation>descripción</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Mensajes</translation>
    </message>
    <message>
        <source>Input kind</source>
        <translation>Tipo de entrada</translation>
    </message>
    <message>
        <source>In&amp;put</source>
        <translation>&amp;Entrada</translation>
    </message>
    <message>
        <source>The question; {{name}} is filled from the variables.</source>
        <translation>La pregunta; {{name}} se rellena a partir de las variables.</translation>
    </message>
    <message>
        <source>messages</source>
        <translation>mensajes</translation>
    </message>
    <message>
        <source>Variables</source>
        <translation>Variables</translation>
    </message>
    <message>
        <source>Varia&amp;bles</source>
        <translation>Varia&amp;bles</translation>
    </message>
    <message>
        <source>variables</source>
        <translation>variables</translation>
    </message>
    <message>
        <source>Reference answer</source>
        <translation>Respuesta de referencia</translation>
    </message>
    <message>
        <source>&amp;Reference</source>
        <translation>&amp;Referencia</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Etiquetas</translation>
    </message>
    <message>
        <source>comma-separated</source>
        <translation>separadas por comas</translation>
    </message>
    <message>
        <source>&amp;Tags</source>
        <translation>E&amp;tiquetas</translation>
    </message>
    <message>
        <source>tags</source>
        <translation>etiquetas</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>Peso</translation>
    </message>
    <message>
        <source>How much the case counts in the suite&apos;s score (a number of at least 0)</source>
        <translation>Cuánto cuenta el caso en la puntuación de la suite (un número mayor o igual que 0)</translation>
    </message>
    <message>
        <source>&amp;Weight</source>
        <translation>&amp;Peso</translation>
    </message>
    <message>
        <source>weight</source>
        <translation>peso</translation>
    </message>
    <message>
        <source>Threshold</source>
        <translation>Umbral</translation>
    </message>
    <message>
        <source>none: every assertion must pass</source>
        <translation>ninguno: todas las aserciones deben superarse</translation>
    </message>
    <message>
        <source>When set, the case passes when its weighted score reaches it</source>
        <translation>Si se establece, el caso se supera cuando su puntuación ponderada lo alcanza</translation>
    </message>
    <message>
        <source>T&amp;hreshold</source>
        <translation>U&amp;mbral</translation>
    </message>
    <message>
        <source>threshold</source>
        <translation>umbral</translation>
    </message>
    <message>
        <source>Time budget</source>
        <translation>Presupuesto de tiempo</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>suite default</source>
        <translation>predeterminado de la suite</translation>
    </message>
    <message>
        <source>An answer slower than this fails &quot;quality within budget&quot;; 0 is the suite default</source>
        <translation>Una respuesta más lenta que esto no supera &quot;calidad dentro del presupuesto&quot;; 0 es el predeterminado de la suite</translation>
    </message>
    <message>
        <source>Time bu&amp;dget</source>
        <translation>Presupuesto de &amp;tiempo</translation>
    </message>
    <message>
        <source>time budget</source>
        <translation>presupuesto de tiempo</translation>
    </message>
    <message>
        <source>Metadata</source>
        <translation>Metadatos</translation>
    </message>
    <message>
        <source>&amp;Metadata</source>
        <translation>&amp;Metadatos</translation>
    </message>
    <message>
        <source>metadata</source>
        <translation>metadatos</translation>
    </message>
    <message>
        <source>Assertions</source>
        <translation>Aserciones</translation>
    </message>
    <message>
        <source>A&amp;ssertions</source>
        <translation>A&amp;serciones</translation>
    </message>
    <message>
        <source>assertions</source>
        <translation>aserciones</translation>
    </message>
    <message>
        <source>suite default (%1 ms)</source>
        <translation>predeterminado de la suite (%1 ms)</translation>
    </message>
    <message>
        <source>suite default (none)</source>
        <translation>predeterminado de la suite (ninguno)</translation>
    </message>
    <message>
        <source>The weight &quot;%1&quot; is not a number of at least 0</source>
        <translation>El peso &quot;%1&quot; no es un número mayor o igual que 0</translation>
    </message>
    <message>
        <source>The threshold &quot;%1&quot; is not a number</source>
        <translation>El umbral &quot;%1&quot; no es un número</translation>
    </message>
    <message>
        <source>Change %1 of case %2</source>
        <translation>Cambiar %1 del caso %2</translation>
    </message>
    <message>
        <source>Not a number: &quot;%1&quot;</source>
        <translation>No es un número: &quot;%1&quot;</translation>
    </message>
    <message>
        <source>Not a number of at least 0: &quot;%1&quot;</source>
        <translation>No es un número mayor o igual que 0: &quot;%1&quot;</translation>
    </message>
    <message>
        <source>prompt</source>
        <translation>prompt</translation>
    </message>
    <message>
        <source>reference</source>
        <translation>referencia</translation>
    </message>
    <message>
        <source>input kind</source>
        <translation>tipo de entrada</translation>
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
        <translation>Respuesta seleccionada</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>Respuesta</translation>
    </message>
    <message>
        <source>Grades</source>
        <translation>Calificaciones</translation>
    </message>
    <message>
        <source>Grades and reasons</source>
        <translation>Calificaciones y motivos</translation>
    </message>
    <message>
        <source>Chunk arrivals (time →, text received ↑)</source>
        <translation>Llegada de fragmentos (tiempo →, texto recibido ↑)</translation>
    </message>
    <message>
        <source>Figures</source>
        <translation>Cifras</translation>
    </message>
    <message>
        <source>Select a cell to see its answer.</source>
        <translation>Seleccione una celda para ver su respuesta.</translation>
    </message>
    <message>
        <source>%1 · %2: no answer yet</source>
        <translation>%1 · %2: aún no hay respuesta</translation>
    </message>
    <message>
        <source>%1 · %2 · repeat %3 of %4</source>
        <translation>%1 · %2 · repetición %3 de %4</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>[refusal] %1</source>
        <translation>[rechazo] %1</translation>
    </message>
    <message>
        <source>Not completed: %1</source>
        <translation>No completada: %1</translation>
    </message>
    <message>
        <source>no error given</source>
        <translation>no se indicó ningún error</translation>
    </message>
    <message>
        <source>%1 · score %2</source>
        <translation>%1 · puntuación %2</translation>
    </message>
    <message>
        <source>PASS</source>
        <translation>SUPERADA</translation>
    </message>
    <message>
        <source>FAIL</source>
        <translation>FALLIDA</translation>
    </message>
    <message>
        <source>waiting for judge</source>
        <translation>esperando al juez</translation>
    </message>
    <message>
        <source>pass</source>
        <translation>superada</translation>
    </message>
    <message>
        <source>fail</source>
        <translation>fallida</translation>
    </message>
    <message>
        <source>• %1: %2 (%3) — %4</source>
        <translation>• %1: %2 (%3) — %4</translation>
    </message>
    <message>
        <source>Scores of all repeats: %1</source>
        <translation>Puntuaciones de todas las repeticiones: %1</translation>
    </message>
    <message>
        <source>TTFT %1</source>
        <translation>TTFT %1</translation>
    </message>
    <message>
        <source>total %1</source>
        <translation>tiempo total %1</translation>
    </message>
    <message>
        <source>%1%2 tok/s</source>
        <translation>%1%2 tok/s</translation>
    </message>
    <message>
        <source>%1 tokens</source>
        <translation>%1 tokens</translation>
    </message>
    <message numerus="yes">
        <source>%n chunk(s)</source>
        <translation>
            <numerusform>%n fragmento</numerusform>
            <numerusform>%n fragmentos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n stall(s)</source>
        <translation>
            <numerusform>%n parada</numerusform>
            <numerusform>%n paradas</numerusform>
        </translation>
    </message>
    <message>
        <source>$%1</source>
        <translation>$%1</translation>
    </message>
    <message>
        <source>cost unknown</source>
        <translation>coste desconocido</translation>
    </message>
    <message numerus="yes">
        <source>%n attempt(s)</source>
        <translation>
            <numerusform>%n intento</numerusform>
            <numerusform>%n intentos</numerusform>
        </translation>
    </message>
    <message>
        <source>Chain transcript</source>
        <translation>Transcripción de la cadena</translation>
    </message>
    <message>
        <source>[tool call] %1(%2)</source>
        <translation>[llamada a herramienta] %1(%2)</translation>
    </message>
    <message numerus="yes">
        <source>%n turn(s)</source>
        <translation>
            <numerusform>%n turno</numerusform>
            <numerusform>%n turnos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n request(s)</source>
        <translation>
            <numerusform>%n solicitud</numerusform>
            <numerusform>%n solicitudes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Slopscope::ChunkSparkline</name>
    <message>
        <source>Chunk arrivals</source>
        <translation>Llegada de fragmentos</translation>
    </message>
    <message>
        <source>No chunks arrived</source>
        <translation>No llegó ningún fragmento</translation>
    </message>
    <message numerus="yes">
        <source>%n chunk(s) over %1 ms</source>
        <translation>
            <numerusform>%n fragmento en %1 ms</numerusform>
            <numerusform>%n fragmentos en %1 ms</numerusform>
        </translation>
    </message>
    <message>
        <source>no chunks</source>
        <translation>sin fragmentos</translation>
    </message>
</context>
<context>
    <name>Slopscope::DiffView</name>
    <message>
        <source>&amp;Case</source>
        <translation>&amp;Caso</translation>
    </message>
    <message>
        <source>Case to compare</source>
        <translation>Caso que comparar</translation>
    </message>
    <message>
        <source>&amp;Left</source>
        <translation>&amp;Izquierda</translation>
    </message>
    <message>
        <source>Left side</source>
        <translation>Lado izquierdo</translation>
    </message>
    <message>
        <source>&amp;Right</source>
        <translation>De&amp;recha</translation>
    </message>
    <message>
        <source>Right side</source>
        <translation>Lado derecho</translation>
    </message>
    <message>
        <source>Left answer</source>
        <translation>Respuesta de la izquierda</translation>
    </message>
    <message>
        <source>Right answer</source>
        <translation>Respuesta de la derecha</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Referencia</translation>
    </message>
    <message>
        <source>%1 (no answer yet)</source>
        <translation>%1 (aún sin respuesta)</translation>
    </message>
    <message>
        <source>%1 (repeat %2)</source>
        <translation>%1 (repetición %2)</translation>
    </message>
    <message>
        <source>No results to compare yet.</source>
        <translation>Aún no hay resultados que comparar.</translation>
    </message>
    <message>
        <source>Too long to compare word by word.</source>
        <translation>Demasiado largo para comparar palabra por palabra.</translation>
    </message>
    <message>
        <source>%1 words in common · %2 only left (orange) · %3 only right (blue)</source>
        <translation>%1 palabras en común · %2 solo a la izquierda (naranja) · %3 solo a la derecha (azul)</translation>
    </message>
    <message>
        <source>Comparing…</source>
        <translation>Comparando…</translation>
    </message>
</context>
<context>
    <name>Slopscope::DisagreementModel</name>
    <message>
        <source>%1 “%2” is stated by %3; %4 state something else.</source>
        <translation>%1 «%2» según %3; en desacuerdo: %4.</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valor</translation>
    </message>
    <message>
        <source>Stated by</source>
        <translation>Indicado por</translation>
    </message>
    <message>
        <source>Others say otherwise</source>
        <translation>Contradicho por</translation>
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
        <translation>Calidad (%)</translation>
    </message>
    <message>
        <source>Median TTFT (ms)</source>
        <translation>TTFT mediano (ms)</translation>
    </message>
    <message>
        <source>Decode (tok/s)</source>
        <translation>Decodificación (tok/s)</translation>
    </message>
    <message>
        <source>Cost per case ($)</source>
        <translation>Coste por caso ($)</translation>
    </message>
    <message>
        <source>Run started</source>
        <translation>Inicio de la ejecución</translation>
    </message>
    <message>
        <source>Reported model changed</source>
        <translation>Cambió el modelo informado</translation>
    </message>
    <message>
        <source>95% interval</source>
        <translation>Intervalo del 95%</translation>
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
        <translation>El proveedor informó %1 aquí pero %2 en la ejecución anterior: puede que el modelo se haya cambiado sin aviso.</translation>
    </message>
    <message>
        <source>Run %1</source>
        <translation>Ejecución %1</translation>
    </message>
    <message>
        <source>Run started</source>
        <translation>Inicio de la ejecución</translation>
    </message>
    <message>
        <source>Suite</source>
        <translation>Suite</translation>
    </message>
    <message>
        <source>Quality (95% interval)</source>
        <translation>Calidad (intervalo del 95%)</translation>
    </message>
    <message>
        <source>Median TTFT</source>
        <translation>TTFT mediano</translation>
    </message>
    <message>
        <source>Decode</source>
        <translation>Decodificación</translation>
    </message>
    <message>
        <source>Cost/case</source>
        <translation>Coste/caso</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fallidas</translation>
    </message>
    <message>
        <source>Reported model</source>
        <translation>Modelo informado</translation>
    </message>
</context>
<context>
    <name>Slopscope::DriftView</name>
    <message>
        <source>Drift</source>
        <translation>Deriva</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Objetivo</translation>
    </message>
    <message>
        <source>Second chart</source>
        <translation>Segundo gráfico</translation>
    </message>
    <message>
        <source>&amp;Limit dates</source>
        <translation>&amp;Limitar fechas</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Desde</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Hasta</translation>
    </message>
    <message>
        <source>&amp;Target:</source>
        <translation>&amp;Objetivo:</translation>
    </message>
    <message>
        <source>Second &amp;chart:</source>
        <translation>Segundo &amp;gráfico:</translation>
    </message>
    <message>
        <source>&amp;From</source>
        <translation>&amp;Desde</translation>
    </message>
    <message>
        <source>Runs of the target</source>
        <translation>Ejecuciones del objetivo</translation>
    </message>
    <message>
        <source>Reading the history…</source>
        <translation>Leyendo el historial…</translation>
    </message>
    <message>
        <source>Cannot read the history: %1</source>
        <translation>No se puede leer el historial: %1</translation>
    </message>
    <message>
        <source>No run is recorded in %1 yet.</source>
        <translation>Aún no hay ninguna ejecución registrada en %1.</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) of %1.</source>
        <translation>
            <numerusform>%n ejecución de %1.</numerusform>
            <numerusform>%n ejecuciones de %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 The reported model changed %n time(s) (▲ on the chart, ⚠ in the table).</source>
        <translation>
            <numerusform>%1 El modelo informado cambió %n vez (▲ en el gráfico, ⚠ en la tabla).</numerusform>
            <numerusform>%1 El modelo informado cambió %n veces (▲ en el gráfico, ⚠ en la tabla).</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Until</source>
        <translation>&amp;Hasta</translation>
    </message>
</context>
<context>
    <name>Slopscope::EscapedLineEdit</name>
    <message>
        <source>Invisible and direction-changing characters are shown as \u followed by their code (\u202E); type one that way to enter it, and \\ for a backslash before a &quot;u&quot;.</source>
        <translation>Los caracteres invisibles y los que cambian la dirección se muestran como \u seguido de su código (\u202E); escriba uno así para introducirlo, y \\ para una barra invertida antes de una &quot;u&quot;.</translation>
    </message>
</context>
<context>
    <name>Slopscope::HeaderTableEditor</name>
    <message>
        <source>Add</source>
        <translation>Añadir</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Quitar</translation>
    </message>
    <message>
        <source>row %1 has no header name</source>
        <translation>la fila %1 no tiene nombre de cabecera</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is listed twice</source>
        <translation>&quot;%1&quot; aparece dos veces</translation>
    </message>
</context>
<context>
    <name>Slopscope::HistoryBrowser</name>
    <message>
        <source>History</source>
        <translation>Historial</translation>
    </message>
    <message>
        <source>Filter runs</source>
        <translation>Filtrar ejecuciones</translation>
    </message>
    <message>
        <source>Recorded runs</source>
        <translation>Ejecuciones registradas</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>&amp;Abrir</translation>
    </message>
    <message>
        <source>&amp;Export Run…</source>
        <translation>E&amp;xportar ejecución…</translation>
    </message>
    <message>
        <source>&amp;Delete Run…</source>
        <translation>&amp;Eliminar ejecución…</translation>
    </message>
    <message>
        <source>Cannot read the history: %1</source>
        <translation>No se puede leer el historial: %1</translation>
    </message>
    <message>
        <source>No run is recorded in %1 yet.</source>
        <translation>Aún no hay ninguna ejecución registrada en %1.</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) in %1</source>
        <translation>
            <numerusform>%n ejecución en %1</numerusform>
            <numerusform>%n ejecuciones en %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Exported the run to %1.</source>
        <translation>Se exportó la ejecución a %1.</translation>
    </message>
    <message>
        <source>Cannot export the run: %1</source>
        <translation>No se puede exportar la ejecución: %1</translation>
    </message>
    <message>
        <source>Cannot delete the run: %1</source>
        <translation>No se puede eliminar la ejecución: %1</translation>
    </message>
    <message>
        <source>Export Run</source>
        <translation>Exportar ejecución</translation>
    </message>
    <message>
        <source>Slopscope run (*.sqlite)</source>
        <translation>Ejecución de Slopscope (*.sqlite)</translation>
    </message>
    <message>
        <source>Delete Run</source>
        <translation>Eliminar ejecución</translation>
    </message>
    <message numerus="yes">
        <source>Delete the run of %1 started %2 and its %n result(s)? This cannot be undone.</source>
        <translation>
            <numerusform>¿Eliminar la ejecución de %1 iniciada el %2 y su %n resultado? Esta acción no se puede deshacer.</numerusform>
            <numerusform>¿Eliminar la ejecución de %1 iniciada el %2 y sus %n resultados? Esta acción no se puede deshacer.</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Eliminar</translation>
    </message>
    <message>
        <source>Co&amp;mpare</source>
        <translation>Co&amp;mparar</translation>
    </message>
    <message>
        <source>Compare the selected runs side by side; select two or more with Ctrl or Shift (Ctrl+D)</source>
        <translation>Comparar las ejecuciones seleccionadas lado a lado; seleccione dos o más con Ctrl o Mayús (Ctrl+D)</translation>
    </message>
    <message>
        <source>D&amp;rift…</source>
        <translation>De&amp;riva…</translation>
    </message>
    <message>
        <source>One target&apos;s quality, speed and cost across every run (Ctrl+Shift+D)</source>
        <translation>Calidad, velocidad y coste de un objetivo en todas las ejecuciones (Ctrl+Mayús+D)</translation>
    </message>
    <message>
        <source>Filter by suite, prompt, target, state or run id</source>
        <translation>Filtrar por suite, prompt, objetivo, estado o id de ejecución</translation>
    </message>
    <message>
        <source>All runs</source>
        <translation>Todas las ejecuciones</translation>
    </message>
    <message>
        <source>Suite runs</source>
        <translation>Ejecuciones de suite</translation>
    </message>
    <message>
        <source>Quick compares</source>
        <translation>Comparaciones rápidas</translation>
    </message>
    <message>
        <source>Show runs of kind</source>
        <translation>Mostrar ejecuciones del tipo</translation>
    </message>
    <message>
        <source>Suite runs, quick-compare exchanges, or both</source>
        <translation>Ejecuciones de suite, intercambios de comparación rápida o ambos</translation>
    </message>
    <message>
        <source>Open in &amp;Arena…</source>
        <translation>Abrir en la &amp;arena…</translation>
    </message>
    <message>
        <source>Vote blind on this run&apos;s answers, two at a time (Ctrl+Shift+A)</source>
        <translation>Votar a ciegas las respuestas de esta ejecución, de dos en dos (Ctrl+Shift+A)</translation>
    </message>
</context>
<context>
    <name>Slopscope::JsonObjectEdit</name>
    <message>
        <source>A JSON object, e.g. %1; empty for none</source>
        <translation>Un objeto JSON, p. ej. %1; vacío para ninguno</translation>
    </message>
    <message>
        <source>%1 must be a JSON object ({...}), not a %2</source>
        <translation>%1 debe ser un objeto JSON ({...}), no un %2</translation>
    </message>
</context>
<context>
    <name>Slopscope::KeyEntryDialog</name>
    <message>
        <source>Set %1</source>
        <translation>Establecer %1</translation>
    </message>
    <message>
        <source>Enter the key for %1 (used by %2). It is stored in the system keychain and never shown again.</source>
        <translation>Introduzca la clave para %1 (usada por %2). Se guarda en el llavero del sistema y no se vuelve a mostrar.</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>Clave de API</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Clave</translation>
    </message>
</context>
<context>
    <name>Slopscope::KeychainKeyStore</name>
    <message>
        <source>the system keychain</source>
        <translation>el llavero del sistema</translation>
    </message>
</context>
<context>
    <name>Slopscope::KeyringSecrets</name>
    <message>
        <source>The stored key %1 was confirmed for %2, not for %3: allow it when the app asks before a run or with &quot;slopscope-cli keys allow-host %1 %3&quot;, or set %1 in the environment</source>
        <translation>La clave guardada %1 se confirmó para %2, no para %3: permítala cuando la aplicación lo pregunte antes de una ejecución o con &quot;slopscope-cli keys allow-host %1 %3&quot;, o defina %1 en el entorno</translation>
    </message>
</context>
<context>
    <name>Slopscope::KeysSettingsPage</name>
    <message>
        <source>API keys are kept in the system keychain, never in the workspace or the settings. An environment variable of the same name overrides the keychain.</source>
        <translation>Las claves de API se guardan en el llavero del sistema, nunca en el espacio de trabajo ni en los ajustes. Una variable de entorno con el mismo nombre tiene prioridad sobre el llavero.</translation>
    </message>
    <message>
        <source>API keys</source>
        <translation>Claves de API</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Clave</translation>
    </message>
    <message>
        <source>Used by</source>
        <translation>Usada por</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Origen</translation>
    </message>
    <message>
        <source>This workspace&apos;s providers need no API key: they are all simulated or local.</source>
        <translation>Los proveedores de este espacio de trabajo no necesitan clave de API: todos son simulados o locales.</translation>
    </message>
    <message>
        <source>&amp;Set Key…</source>
        <translation>&amp;Establecer clave…</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>E&amp;liminar</translation>
    </message>
    <message>
        <source>checking…</source>
        <translation>comprobando…</translation>
    </message>
    <message>
        <source>environment</source>
        <translation>entorno</translation>
    </message>
    <message>
        <source>keychain</source>
        <translation>llavero</translation>
    </message>
    <message>
        <source>this session only</source>
        <translation>solo esta sesión</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>falta</translation>
    </message>
    <message>
        <source>unknown: keychain unavailable</source>
        <translation>desconocido: llavero no disponible</translation>
    </message>
    <message>
        <source>%1 is set in the environment: that value is used, whatever the keychain holds, until the variable is unset.</source>
        <translation>%1 está definida en el entorno: se usa ese valor, contenga lo que contenga el llavero, hasta que se elimine la variable.</translation>
    </message>
    <message>
        <source>%1 is kept for this session only. The keychain could not take it: %2</source>
        <translation>La clave %1 se conserva solo durante esta sesión. El llavero no pudo guardarla: %2</translation>
    </message>
    <message>
        <source>The keychain could not answer about %1: %2</source>
        <translation>El llavero no pudo responder sobre %1: %2</translation>
    </message>
    <message>
        <source>Saving %1…</source>
        <translation>Guardando %1…</translation>
    </message>
    <message>
        <source>%1 is saved in the system keychain.</source>
        <translation>La clave %1 se ha guardado en el llavero del sistema.</translation>
    </message>
    <message>
        <source>%1 is kept for this session only: it works until Slopscope quits and is written nowhere.</source>
        <translation>La clave %1 se conserva solo durante esta sesión: funciona hasta que se cierre Slopscope y no se escribe en ningún sitio.</translation>
    </message>
    <message>
        <source>%1 was not saved: %2</source>
        <translation>La clave %1 no se guardó: %2</translation>
    </message>
    <message>
        <source>Remove Key</source>
        <translation>Eliminar clave</translation>
    </message>
    <message>
        <source>Remove %1 from the keychain? Providers that use it will fail until a key is set again.</source>
        <translation>¿Eliminar %1 del llavero? Los proveedores que la usan fallarán hasta que se vuelva a establecer una clave.</translation>
    </message>
    <message>
        <source>%1 is removed.</source>
        <translation>La clave %1 se ha eliminado.</translation>
    </message>
    <message>
        <source>%1 was not removed: %2</source>
        <translation>La clave %1 no se eliminó: %2</translation>
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
        <translation>%1 p. p. (%2 a %3)</translation>
    </message>
    <message>
        <source>%1 pts</source>
        <translation>%1 p. p.</translation>
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
        <translation>Objetivo %1</translation>
    </message>
    <message numerus="yes">
        <source>Mean score over %n case(s) in their canonical wording; the range is a 95% bootstrap interval.</source>
        <translation>
            <numerusform>Puntuación media en %n caso en su formulación canónica; el rango es un intervalo bootstrap del 95&#xa0;%.</numerusform>
            <numerusform>Puntuación media en %n casos en su formulación canónica; el rango es un intervalo bootstrap del 95&#xa0;%.</numerusform>
        </translation>
    </message>
    <message>
        <source>Canonical minus reworded quality, in percentage points, over the cases run with variants; the range is a paired 95% bootstrap interval.</source>
        <translation>Calidad canónica menos calidad reformulada, en puntos porcentuales, sobre los casos ejecutados con variantes; el rango es un intervalo bootstrap pareado del 95&#xa0;%.</translation>
    </message>
    <message>
        <source>Unknown: the run had no rewordings (tick Variants).</source>
        <translation>Desconocida: la ejecución no tuvo reformulaciones (marque Variantes).</translation>
    </message>
    <message numerus="yes">
        <source>Cost of 1,000 cases at the measured mean; %n answer(s) had no known price and are left out.</source>
        <translation>
            <numerusform>Coste de 1000 casos según la media medida; %n respuesta no tenía precio conocido y se excluye.</numerusform>
            <numerusform>Coste de 1000 casos según la media medida; %n respuestas no tenían precio conocido y se excluyen.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cost of 1,000 cases at the mean measured over %n answer(s).</source>
        <translation>
            <numerusform>Coste de 1000 casos según la media medida sobre %n respuesta.</numerusform>
            <numerusform>Coste de 1000 casos según la media medida sobre %n respuestas.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Time to first token over %n completed answer(s) (nearest rank).</source>
        <translation>
            <numerusform>Tiempo hasta el primer token en %n respuesta completada (rango más cercano).</numerusform>
            <numerusform>Tiempo hasta el primer token en %n respuestas completadas (rango más cercano).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Median decode speed after the first token, over %n answer(s).</source>
        <translation>
            <numerusform>Velocidad mediana de decodificación tras el primer token, en %n respuesta.</numerusform>
            <numerusform>Velocidad mediana de decodificación tras el primer token, en %n respuestas.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Answers that did not complete (failed, truncated, cancelled) out of %n.</source>
        <translation>
            <numerusform>Respuestas que no se completaron (fallidas, truncadas, canceladas) de un total de %n.</numerusform>
            <numerusform>Respuestas que no se completaron (fallidas, truncadas, canceladas) de un total de %n.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n case(s) graded</source>
        <translation>
            <numerusform>%n caso calificado</numerusform>
            <numerusform>%n casos calificados</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n answer(s) in all</source>
        <translation>
            <numerusform>%n respuesta en total</numerusform>
            <numerusform>%n respuestas en total</numerusform>
        </translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Objetivo</translation>
    </message>
    <message>
        <source>Quality (95% CI)</source>
        <translation>Calidad (IC 95&#xa0;%)</translation>
    </message>
    <message>
        <source>Brittleness</source>
        <translation>Fragilidad</translation>
    </message>
    <message>
        <source>$ / 1k cases</source>
        <translation>$ / 1000 casos</translation>
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
        <translation>Decodificación</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>Errores</translation>
    </message>
    <message>
        <source>n</source>
        <translation>n</translation>
    </message>
    <message numerus="yes">
        <source>%1% agreement, κ = %2, over %n answer(s) graded by a judge and rated by a person</source>
        <translation>
            <numerusform>%1 % de acuerdo, κ = %2, sobre %n respuesta calificada por un juez y valorada por una persona</numerusform>
            <numerusform>%1 % de acuerdo, κ = %2, sobre %n respuestas calificadas por un juez y valoradas por una persona</numerusform>
        </translation>
    </message>
    <message>
        <source>Unknown: no answer of this target has both a judge&apos;s verdict and a person&apos;s rating (rate answers in the matrix).</source>
        <translation>Desconocido: ninguna respuesta de este objetivo tiene a la vez veredicto de un juez y valoración de una persona (valore respuestas en la matriz).</translation>
    </message>
    <message>
        <source>Judge %1: %2</source>
        <translation>Juez %1: %2</translation>
    </message>
    <message>
        <source>Judge %1: no answer both graded</source>
        <translation>Juez %1: ninguna respuesta calificada por ambos</translation>
    </message>
    <message>
        <source>κ (Cohen&apos;s kappa): 1 is perfect agreement, 0 what chance would give.</source>
        <translation>κ (kappa de Cohen): 1 es acuerdo perfecto, 0 lo que daría el azar.</translation>
    </message>
    <message>
        <source>Judge–human agreement</source>
        <translation>Acuerdo juez–humano</translation>
    </message>
</context>
<context>
    <name>Slopscope::LeaderboardView</name>
    <message>
        <source>Leaderboard</source>
        <translation>Clasificación</translation>
    </message>
</context>
<context>
    <name>Slopscope::LocalDiscovery</name>
    <message>
        <source>not a JSON object</source>
        <translation>no es un objeto JSON</translation>
    </message>
    <message>
        <source>no model list in the answer</source>
        <translation>no hay ninguna lista de modelos en la respuesta</translation>
    </message>
</context>
<context>
    <name>Slopscope::MainWindow</name>
    <message>
        <source>Targets</source>
        <translation>Objetivos</translation>
    </message>
    <message>
        <source>Quadrant</source>
        <translation>Cuadrante</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Ejecución</translation>
    </message>
    <message>
        <source>Suite</source>
        <translation>Suite</translation>
    </message>
    <message>
        <source>Suite </source>
        <translation>Batería </translation>
    </message>
    <message>
        <source>Repeats</source>
        <translation>Repeticiones</translation>
    </message>
    <message>
        <source>  Repeats </source>
        <translation>  Repeticiones </translation>
    </message>
    <message>
        <source>Variants</source>
        <translation>Variantes</translation>
    </message>
    <message>
        <source>Also send each case&apos;s rewordings, to measure brittleness.</source>
        <translation>Enviar también las reformulaciones de cada caso, para medir la fragilidad.</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>&amp;Ejecutar</translation>
    </message>
    <message>
        <source>Run the suite on the checked targets (Ctrl+R)</source>
        <translation>Ejecutar la batería en los objetivos marcados (Ctrl+R)</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>De&amp;tener</translation>
    </message>
    <message>
        <source>Stop the run, keeping what has arrived (Ctrl+.)</source>
        <translation>Detener la ejecución, conservando lo que ya ha llegado (Ctrl+.)</translation>
    </message>
    <message>
        <source>%v / %m</source>
        <translation>%v / %m</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Resultados</translation>
    </message>
    <message>
        <source>Results matrix</source>
        <translation>Matriz de resultados</translation>
    </message>
    <message>
        <source>Answer diff</source>
        <translation>Diferencias entre respuestas</translation>
    </message>
    <message>
        <source>&amp;Matrix</source>
        <translation>&amp;Matriz</translation>
    </message>
    <message>
        <source>&amp;Leaderboard</source>
        <translation>&amp;Clasificación</translation>
    </message>
    <message>
        <source>&amp;Diff</source>
        <translation>D&amp;iferencias</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <source>&amp;Export Quadrant…</source>
        <translation>E&amp;xportar cuadrante…</translation>
    </message>
    <message>
        <source>Export Quadrant</source>
        <translation>Exportar cuadrante</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG image (*.svg);;PDF (*.pdf)</source>
        <translation>Imagen PNG (*.png);;Imagen SVG (*.svg);;PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Cannot export the quadrant</source>
        <translation>No se puede exportar el cuadrante</translation>
    </message>
    <message>
        <source>Export &amp;Results…</source>
        <translation>Exportar &amp;resultados…</translation>
    </message>
    <message>
        <source>Export Results</source>
        <translation>Exportar resultados</translation>
    </message>
    <message>
        <source>HTML report (*.html);;PDF report (*.pdf);;Markdown report (*.md);;Summary (*.json);;Results, one JSON line each (*.jsonl);;Results table (*.csv);;Chart (*.png *.svg)</source>
        <translation>Informe HTML (*.html);;Informe PDF (*.pdf);;Informe Markdown (*.md);;Resumen (*.json);;Resultados, una línea JSON cada uno (*.jsonl);;Tabla de resultados (*.csv);;Gráfico (*.png *.svg)</translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation>Se exportó %1</translation>
    </message>
    <message>
        <source>Cannot export the results</source>
        <translation>No se pueden exportar los resultados</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <source>Results &amp;Matrix</source>
        <translation>&amp;Matriz de resultados</translation>
    </message>
    <message>
        <source>Show &amp;Results</source>
        <translation>Mostrar &amp;resultados</translation>
    </message>
    <message>
        <source>Show &amp;Targets</source>
        <translation>Mostrar &amp;objetivos</translation>
    </message>
    <message>
        <source>Show &amp;Quadrant</source>
        <translation>Mostrar c&amp;uadrante</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>A&amp;yuda</translation>
    </message>
    <message>
        <source>&amp;About Slopscope</source>
        <translation>&amp;Acerca de Slopscope</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>Acerca de &amp;Qt</translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n case(s))</source>
        <translation>
            <numerusform>%1 (%n caso)</numerusform>
            <numerusform>%1 (%n casos)</numerusform>
        </translation>
    </message>
    <message>
        <source>no workspace</source>
        <translation>sin espacio de trabajo</translation>
    </message>
    <message>
        <source>%1 — Slopscope %2</source>
        <translation>%1 — Slopscope %2</translation>
    </message>
    <message numerus="yes">
        <source>%n target(s)</source>
        <translation>
            <numerusform>%n objetivo</numerusform>
            <numerusform>%n objetivos</numerusform>
        </translation>
    </message>
    <message>
        <source>History not recorded: %1</source>
        <translation>Historial no registrado: %1</translation>
    </message>
    <message>
        <source>There are no results to export yet: run a suite first.</source>
        <translation>Aún no hay resultados que exportar: ejecute antes una batería.</translation>
    </message>
    <message>
        <source>%1: choose a file ending in .html, .pdf, .md, .json, .jsonl, .csv, .png or .svg.</source>
        <translation>%1: elija un archivo terminado en .html, .pdf, .md, .json, .jsonl, .csv, .png o .svg.</translation>
    </message>
    <message>
        <source>History: saved again.</source>
        <translation>Historial: guardado de nuevo.</translation>
    </message>
    <message>
        <source>History: %1 (waiting)</source>
        <translation>Historial: %1 (en espera)</translation>
    </message>
    <message numerus="yes">
        <source>History: %1. The run was stopped; %n finished result(s) wait in memory and are saved as soon as the disk allows.</source>
        <translation>
            <numerusform>Historial: %1. La ejecución se detuvo; %n resultado terminado espera en memoria y se guardará en cuanto el disco lo permita.</numerusform>
            <numerusform>Historial: %1. La ejecución se detuvo; %n resultados terminados esperan en memoria y se guardarán en cuanto el disco lo permita.</numerusform>
        </translation>
    </message>
    <message>
        <source>History: %1</source>
        <translation>Historial: %1</translation>
    </message>
    <message>
        <source>%1 of %2 · %3</source>
        <translation>%1 de %2 · %3</translation>
    </message>
    <message>
        <source>Open a suite first.</source>
        <translation>Abra primero una batería.</translation>
    </message>
    <message>
        <source>Check at least one target.</source>
        <translation>Marque al menos un objetivo.</translation>
    </message>
    <message>
        <source>Cannot start the run</source>
        <translation>No se puede iniciar la ejecución</translation>
    </message>
    <message numerus="yes">
        <source>Running %1 on %n target(s)…</source>
        <translation>
            <numerusform>Ejecutando %1 en %n objetivo…</numerusform>
            <numerusform>Ejecutando %1 en %n objetivos…</numerusform>
        </translation>
    </message>
    <message>
        <source>attempt %1</source>
        <translation>intento %1</translation>
    </message>
    <message>
        <source>Case %1</source>
        <translation>Caso %1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>pass</source>
        <translation>superada</translation>
    </message>
    <message>
        <source>fail (score %1)</source>
        <translation>no superado (puntuación %1)</translation>
    </message>
    <message>
        <source>spent $%1</source>
        <translation>$%1 gastados</translation>
    </message>
    <message>
        <source>Run stopped: %1.</source>
        <translation>Ejecución detenida: %1.</translation>
    </message>
    <message numerus="yes">
        <source>Run finished: %n result(s).</source>
        <translation>
            <numerusform>Ejecución terminada: %n resultado.</numerusform>
            <numerusform>Ejecución terminada: %n resultados.</numerusform>
        </translation>
    </message>
    <message>
        <source>Open Workspace</source>
        <translation>Abrir espacio de trabajo</translation>
    </message>
    <message>
        <source>Slopscope workspaces (*.json);;All files (*)</source>
        <translation>Espacios de trabajo de Slopscope (*.json);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Cannot open workspace</source>
        <translation>No se puede abrir el espacio de trabajo</translation>
    </message>
    <message>
        <source>Open Suite</source>
        <translation>Abrir batería</translation>
    </message>
    <message>
        <source>Slopscope suites (*.json);;All files (*)</source>
        <translation>Baterías de Slopscope (*.json);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Cannot open suite</source>
        <translation>No se puede abrir la batería</translation>
    </message>
    <message>
        <source>About Slopscope</source>
        <translation>Acerca de Slopscope</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Slopscope %1&lt;/h3&gt;&lt;p&gt;Price, speed and quality of LLM providers, measured on your own prompts.&lt;/p&gt;&lt;p&gt;MIT licence. Third-party notices ship with the application.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Slopscope %1&lt;/h3&gt;&lt;p&gt;Precio, velocidad y calidad de los proveedores de LLM, medidos con sus propias instrucciones.&lt;/p&gt;&lt;p&gt;Licencia MIT. Los avisos de terceros se distribuyen con la aplicación.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Preferencias</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Idioma</translation>
    </message>
    <message>
        <source>The language changes when Slopscope starts again.</source>
        <translation>El idioma cambiará la próxima vez que se inicie Slopscope.</translation>
    </message>
    <message>
        <source>System Default</source>
        <translation>Predeterminado del sistema</translation>
    </message>
    <message>
        <source>&amp;History…</source>
        <translation>&amp;Historial…</translation>
    </message>
    <message>
        <source>Stop the current run before opening another from the history.</source>
        <translation>Detenga la ejecución actual antes de abrir otra del historial.</translation>
    </message>
    <message>
        <source>No history is open.</source>
        <translation>No hay ningún historial abierto.</translation>
    </message>
    <message>
        <source>Showing the recorded run of %1 from %2 (%3): nothing was sent.</source>
        <translation>Mostrando la ejecución registrada de %1 del %2 (%3): no se envió nada.</translation>
    </message>
    <message>
        <source>Cannot open the run</source>
        <translation>No se puede abrir la ejecución</translation>
    </message>
    <message>
        <source>History Damaged</source>
        <translation>Historial dañado</translation>
    </message>
    <message>
        <source>&amp;Restore Backup</source>
        <translation>&amp;Restaurar copia de seguridad</translation>
    </message>
    <message>
        <source>Keep the &amp;Empty History</source>
        <translation>Conservar el historial &amp;vacío</translation>
    </message>
    <message>
        <source>History restored from %1.</source>
        <translation>Historial restaurado desde %1.</translation>
    </message>
    <message>
        <source>Routing &amp;Policies…</source>
        <translation>&amp;Políticas de enrutamiento…</translation>
    </message>
    <message>
        <source>Replay routing policies over this run&apos;s results (Ctrl+Shift+R)</source>
        <translation>Reproducir políticas de enrutamiento sobre los resultados de esta ejecución (Ctrl+Mayús+R)</translation>
    </message>
    <message>
        <source>the recorded run of %1</source>
        <translation>la ejecución registrada del %1</translation>
    </message>
    <message>
        <source>A run is going: its results are replayed when it ends.</source>
        <translation>Hay una ejecución en curso: sus resultados se reproducen cuando termine.</translation>
    </message>
    <message>
        <source>the last run</source>
        <translation>la última ejecución</translation>
    </message>
    <message>
        <source>No finished run to replay yet: run a suite, or open one from File ▸ History.</source>
        <translation>Aún no hay ninguna ejecución terminada que reproducir: ejecute una batería o abra una desde Archivo ▸ Historial.</translation>
    </message>
    <message>
        <source>A run is going.</source>
        <translation>Hay una ejecución en curso.</translation>
    </message>
    <message>
        <source>Fetching records into the history, and none is open.</source>
        <translation>La recuperación se guarda en el historial, y no hay ninguno abierto.</translation>
    </message>
    <message>
        <source>Cannot fetch: %1</source>
        <translation>No se puede recuperar: %1</translation>
    </message>
    <message numerus="yes">
        <source>Fetching %n answer(s)</source>
        <translation>
            <numerusform>Recuperando %n respuesta</numerusform>
            <numerusform>Recuperando %n respuestas</numerusform>
        </translation>
    </message>
    <message>
        <source>The fetch stopped: %1.</source>
        <translation>La recuperación se detuvo: %1.</translation>
    </message>
    <message numerus="yes">
        <source>Fetched %n answer(s)</source>
        <translation>
            <numerusform>%n respuesta recuperada</numerusform>
            <numerusform>%n respuestas recuperadas</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n result(s) were still being written; the history will have them.</source>
        <translation>
            <numerusform>%n resultado aún se estaba escribiendo; el historial lo tendrá.</numerusform>
            <numerusform>%n resultados aún se estaban escribiendo; el historial los tendrá.</numerusform>
        </translation>
    </message>
    <message>
        <source>Fetched, but the run cannot be shown again: %1</source>
        <translation>Recuperado, pero la ejecución no se puede volver a mostrar: %1</translation>
    </message>
    <message numerus="yes">
        <source>and %n judge call(s)…</source>
        <translation>
            <numerusform>y %n llamada al juez…</numerusform>
            <numerusform>y %n llamadas al juez…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>and %n judge call(s).</source>
        <translation>
            <numerusform>y %n llamada al juez.</numerusform>
            <numerusform>y %n llamadas al juez.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>(%n verdict(s) or pick(s) could not be asked: %1)</source>
        <translation>
            <numerusform>(no se pudo pedir %n veredicto o elección: %1)</numerusform>
            <numerusform>(no se pudieron pedir %n veredictos o elecciones: %1)</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Configuración…</translation>
    </message>
    <message numerus="yes">
        <source>The keychain could not give %n key(s): %1</source>
        <translation>
            <numerusform>El llavero no pudo proporcionar %n clave: %1</numerusform>
            <numerusform>El llavero no pudo proporcionar %n claves: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Add Target…</source>
        <translation>&amp;Añadir objetivo…</translation>
    </message>
    <message>
        <source>Re&amp;move Target</source>
        <translation>&amp;Quitar objetivo</translation>
    </message>
    <message>
        <source>Select a target in the lineup first.</source>
        <translation>Primero elija un objetivo de la selección.</translation>
    </message>
    <message>
        <source>Cannot remove the target</source>
        <translation>No se puede quitar el objetivo</translation>
    </message>
    <message>
        <source>Removed %1 (Undo brings it back).</source>
        <translation>Se quitó %1 (Deshacer lo recupera).</translation>
    </message>
    <message>
        <source>Stop the run before changing the lineup.</source>
        <translation>Detenga la ejecución antes de cambiar la selección.</translation>
    </message>
    <message>
        <source>Cannot add the target</source>
        <translation>No se puede añadir el objetivo</translation>
    </message>
    <message>
        <source>Add %1</source>
        <translation>Añadir %1</translation>
    </message>
    <message>
        <source>Added %1.</source>
        <translation>Se añadió %1.</translation>
    </message>
    <message>
        <source>Remove %1</source>
        <translation>Quitar %1</translation>
    </message>
    <message>
        <source>The run was not started.</source>
        <translation>La ejecución no se inició.</translation>
    </message>
    <message>
        <source>Waiting for the keychain to give the workspace&apos;s API keys…</source>
        <translation>Esperando a que el llavero entregue las claves de API del espacio de trabajo…</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Editar</translation>
    </message>
    <message>
        <source>Open &amp;Workspace…</source>
        <translation>Abrir espacio de &amp;trabajo…</translation>
    </message>
    <message>
        <source>Show &amp;Suite</source>
        <translation>Mostrar &amp;suite</translation>
    </message>
    <message>
        <source>Cannot run the suite: %1</source>
        <translation>No se puede ejecutar la suite: %1</translation>
    </message>
    <message>
        <source>Quick Compare</source>
        <translation>Comparación rápida</translation>
    </message>
    <message>
        <source>The keychain is still giving the workspace&apos;s API keys; send again in a moment.</source>
        <translation>El llavero aún está proporcionando las claves API del espacio de trabajo; vuelva a enviar en un momento.</translation>
    </message>
    <message>
        <source>&amp;Quick Compare</source>
        <translation>&amp;Comparación rápida</translation>
    </message>
    <message>
        <source>Send one prompt or a chat to every checked target (Ctrl+K)</source>
        <translation>Enviar un prompt o un chat a cada objetivo marcado (Ctrl+K)</translation>
    </message>
    <message>
        <source>Quick compare cases</source>
        <translation>Casos de comparación rápida</translation>
    </message>
    <message>
        <source>Saved as case &quot;%1&quot; in the suite &quot;%2&quot;.</source>
        <translation>Guardado como caso &quot;%1&quot; en la suite &quot;%2&quot;.</translation>
    </message>
    <message>
        <source>Send the key to a new host?</source>
        <translation>¿Enviar la clave a un host nuevo?</translation>
    </message>
    <message>
        <source>The stored key %1 has been sent only to %2.

Provider &quot;%3&quot; would now send it to %4. If you did not change this provider&apos;s address yourself, the workspace may be trying to collect your key.</source>
        <translation>La clave guardada %1 solo se ha enviado a %2.

El proveedor &quot;%3&quot; la enviaría ahora a %4. Si no ha cambiado usted mismo la dirección de este proveedor, es posible que el espacio de trabajo esté intentando obtener su clave.</translation>
    </message>
    <message>
        <source>Send to %1</source>
        <translation>Enviar a %1</translation>
    </message>
    <message>
        <source>Run not started: the key %1 was not sent to %2.</source>
        <translation>Ejecución no iniciada: la clave %1 no se envió a %2.</translation>
    </message>
    <message>
        <source>&amp;New Suite</source>
        <translation>&amp;Nueva suite</translation>
    </message>
    <message>
        <source>&amp;Open Suite…</source>
        <translation>&amp;Abrir suite…</translation>
    </message>
    <message>
        <source>Open &amp;Recent Suite</source>
        <translation>Abrir suite &amp;reciente</translation>
    </message>
    <message>
        <source>&amp;Save Suite</source>
        <translation>&amp;Guardar suite</translation>
    </message>
    <message>
        <source>Save Suite &amp;As…</source>
        <translation>Guardar suite &amp;como…</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Deshacer</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Rehacer</translation>
    </message>
    <message>
        <source>&amp;Add Case</source>
        <translation>&amp;Añadir caso</translation>
    </message>
    <message>
        <source>D&amp;uplicate Case</source>
        <translation>D&amp;uplicar caso</translation>
    </message>
    <message>
        <source>Re&amp;move Case</source>
        <translation>&amp;Quitar caso</translation>
    </message>
    <message>
        <source>Move Case U&amp;p</source>
        <translation>&amp;Subir caso</translation>
    </message>
    <message>
        <source>Move Case Do&amp;wn</source>
        <translation>&amp;Bajar caso</translation>
    </message>
    <message>
        <source>Untitled suite</source>
        <translation>Suite sin título</translation>
    </message>
    <message>
        <source>%1[*] — %2 — Slopscope %3</source>
        <translation>%1[*] — %2 — Slopscope %3</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>Se abrió %1</translation>
    </message>
    <message>
        <source>The suite cannot be saved yet: %1</source>
        <translation>Aún no se puede guardar la suite: %1</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>Se guardó %1</translation>
    </message>
    <message>
        <source>Cannot save the suite</source>
        <translation>No se puede guardar la suite</translation>
    </message>
    <message>
        <source>Save Suite As</source>
        <translation>Guardar suite como</translation>
    </message>
    <message>
        <source>Slopscope suites (*.json)</source>
        <translation>Suites de Slopscope (*.json)</translation>
    </message>
    <message>
        <source>Unsaved suite</source>
        <translation>Suite sin guardar</translation>
    </message>
    <message>
        <source>The suite &quot;%1&quot; has changes that are not saved. Save them?</source>
        <translation>La suite &quot;%1&quot; tiene cambios sin guardar. ¿Desea guardarlos?</translation>
    </message>
    <message>
        <source>&amp;%1 %2</source>
        <translation>&amp;%1 %2</translation>
    </message>
    <message>
        <source>No recent suites</source>
        <translation>No hay suites recientes</translation>
    </message>
    <message>
        <source>%1 no longer exists; it was removed from the recent suites.</source>
        <translation>%1 ya no existe; se quitó de las suites recientes.</translation>
    </message>
    <message>
        <source>Disa&amp;greements</source>
        <translation>&amp;Desacuerdos</translation>
    </message>
    <message>
        <source>Disagreements between the answers</source>
        <translation>Desacuerdos entre las respuestas</translation>
    </message>
    <message>
        <source>&amp;Drift…</source>
        <translation>&amp;Deriva…</translation>
    </message>
    <message>
        <source>One target&apos;s quality, speed and cost across the recorded runs</source>
        <translation>Calidad, velocidad y coste de un objetivo en las ejecuciones registradas</translation>
    </message>
    <message>
        <source>Blind &amp;Arena…</source>
        <translation>&amp;Arena a ciegas…</translation>
    </message>
    <message>
        <source>Compare two anonymous answers at a time and rank the targets by your votes (Ctrl+Shift+A)</source>
        <translation>Comparar dos respuestas anónimas cada vez y clasificar los objetivos según sus votos (Ctrl+Mayús+A)</translation>
    </message>
    <message>
        <source>The arena opens once the run has ended.</source>
        <translation>La arena se abre cuando termina la ejecución.</translation>
    </message>
    <message>
        <source>No finished run to vote on: run a suite, or open one from File ▸ History.</source>
        <translation>No hay ninguna ejecución terminada para votar: ejecute una suite o abra una desde Archivo ▸ Historial.</translation>
    </message>
    <message>
        <source>Blind Arena (votes kept until closed: this run is not recorded)</source>
        <translation>Arena a ciegas (votos conservados hasta cerrar: esta ejecución no se registra)</translation>
    </message>
    <message>
        <source>The workspace changed since Preferences opened; close and reopen it to edit the current one.</source>
        <translation>El espacio de trabajo cambió desde que se abrieron las Preferencias; ciérrelas y vuelva a abrirlas para editar el actual.</translation>
    </message>
    <message>
        <source>Edit providers and targets</source>
        <translation>Editar proveedores y objetivos</translation>
    </message>
    <message>
        <source>Save Wor&amp;kspace</source>
        <translation>&amp;Guardar espacio de trabajo</translation>
    </message>
    <message>
        <source>Save Workspace As…</source>
        <translation>Guardar espacio de trabajo como…</translation>
    </message>
    <message>
        <source>Stop the run before changing providers or targets.</source>
        <translation>Detenga la ejecución antes de cambiar proveedores u objetivos.</translation>
    </message>
    <message>
        <source>%1 (Undo takes it back).</source>
        <translation>%1 (Deshacer lo revierte).</translation>
    </message>
    <message>
        <source>A run is going: providers and targets can be edited when it ends.</source>
        <translation>Hay una ejecución en curso: los proveedores y objetivos se podrán editar cuando termine.</translation>
    </message>
    <message>
        <source>Saved the workspace to %1.</source>
        <translation>Espacio de trabajo guardado en %1.</translation>
    </message>
    <message>
        <source>Cannot save the workspace</source>
        <translation>No se puede guardar el espacio de trabajo</translation>
    </message>
    <message>
        <source>workspace</source>
        <translation>espacio de trabajo</translation>
    </message>
    <message>
        <source>Save Workspace As</source>
        <translation>Guardar espacio de trabajo como</translation>
    </message>
    <message>
        <source>Unsaved workspace</source>
        <translation>Espacio de trabajo sin guardar</translation>
    </message>
    <message>
        <source>The workspace &quot;%1&quot; has changes that are not saved. Save them?</source>
        <translation>El espacio de trabajo «%1» tiene cambios sin guardar. ¿Guardarlos?</translation>
    </message>
    <message>
        <source>%1. No new cell is sent until they are saved.</source>
        <translation>%1. No se envía ninguna celda nueva hasta que se guarden.</translation>
    </message>
    <message>
        <source>%1. No new cell is sent until they are saved. %2</source>
        <translation>%1. No se envía ninguna celda nueva hasta que se guarden. %2</translation>
    </message>
    <message>
        <source>Answer whether to continue without history first.</source>
        <translation>Responda primero si desea continuar sin historial.</translation>
    </message>
    <message>
        <source>History Unavailable</source>
        <translation>Historial no disponible</translation>
    </message>
    <message>
        <source>The run history cannot be saved: %1

Without it, results are lost when Slopscope closes. Make the folder writable and start again, or continue without history for this session.</source>
        <translation>No se puede guardar el historial de ejecuciones: %1

Sin él, los resultados se pierden al cerrar Slopscope. Haga que la carpeta tenga permisos de escritura y vuelva a empezar, o continúe sin historial en esta sesión.</translation>
    </message>
    <message>
        <source>&amp;Continue Without History</source>
        <translation>&amp;Continuar sin historial</translation>
    </message>
    <message>
        <source>No history: results of this session are not saved.</source>
        <translation>Sin historial: los resultados de esta sesión no se guardan.</translation>
    </message>
    <message>
        <source>Re&amp;do</source>
        <translation>&amp;Rehacer</translation>
    </message>
    <message>
        <source>&amp;Undo %1</source>
        <translation>&amp;Deshacer %1</translation>
    </message>
    <message>
        <source>Re&amp;do %1</source>
        <translation>&amp;Rehacer %1</translation>
    </message>
    <message>
        <source>no cap</source>
        <translation>sin límite</translation>
    </message>
    <message>
        <source>Spend cap</source>
        <translation>Límite de gasto</translation>
    </message>
    <message>
        <source>Stop a run or a quick-compare chat once it has cost this much (0: no cap).</source>
        <translation>Detener una ejecución o un chat de comparación rápida cuando haya costado esta cantidad (0: sin límite).</translation>
    </message>
    <message>
        <source>  Spend &amp;cap </source>
        <translation>  &amp;Límite de gasto </translation>
    </message>
    <message>
        <source>Retry &amp;Broken-Off Answers</source>
        <translation>Reintentar respuestas &amp;cortadas</translation>
    </message>
    <message>
        <source>Send again an answer whose stream broke off; the new answer replaces the partial one, and both are paid for.</source>
        <translation>Volver a enviar una respuesta cuyo flujo se cortó; la nueva respuesta sustituye a la parcial y se pagan ambas.</translation>
    </message>
    <message>
        <source>Cannot open the run in the arena: %1</source>
        <translation>No se puede abrir la ejecución en la arena: %1</translation>
    </message>
    <message>
        <source>Key over Plain HTTP</source>
        <translation>Clave por HTTP sin cifrar</translation>
    </message>
    <message>
        <source>Send the key over plain HTTP to %1?</source>
        <translation>¿Enviar la clave por HTTP sin cifrar a %1?</translation>
    </message>
    <message>
        <source>Provider &quot;%1&quot; has an http:// address, so its key would cross the network unencrypted: anyone on the way can read it. Allow this only on a network you trust (a server on your LAN, for example).</source>
        <translation>El proveedor &quot;%1&quot; tiene una dirección http://, así que su clave cruzaría la red sin cifrar: cualquiera en el camino podría leerla. Permítalo solo en una red de confianza (por ejemplo, un servidor de su LAN).</translation>
    </message>
    <message>
        <source>Allow &amp;Once</source>
        <translation>Permitir &amp;una vez</translation>
    </message>
    <message>
        <source>&amp;Always for This Host</source>
        <translation>&amp;Siempre para este host</translation>
    </message>
    <message>
        <source>The key is not sent over plain HTTP to %1: those cells are refused.</source>
        <translation>La clave no se envía por HTTP sin cifrar a %1: esas celdas se rechazan.</translation>
    </message>
    <message>
        <source>Proxy credentials kept for this session. Run again to send the requests the proxy refused.</source>
        <translation>Credenciales del proxy guardadas para esta sesión. Vuelva a ejecutar para enviar las solicitudes que el proxy rechazó.</translation>
    </message>
</context>
<context>
    <name>Slopscope::MessagesEditor</name>
    <message>
        <source>Role</source>
        <translation>Rol</translation>
    </message>
    <message>
        <source>Content</source>
        <translation>Contenido</translation>
    </message>
    <message>
        <source>Add message</source>
        <translation>Añadir mensaje</translation>
    </message>
    <message>
        <source>Remove message</source>
        <translation>Quitar mensaje</translation>
    </message>
</context>
<context>
    <name>Slopscope::NWayDiffView</name>
    <message>
        <source>&amp;Case</source>
        <translation>&amp;Caso</translation>
    </message>
    <message>
        <source>Case to compare</source>
        <translation>Caso que comparar</translation>
    </message>
    <message>
        <source>Disputed facts</source>
        <translation>Datos en disputa</translation>
    </message>
    <message>
        <source>%1 (no answer yet)</source>
        <translation>%1 (aún sin respuesta)</translation>
    </message>
    <message>
        <source>Answer of %1</source>
        <translation>Respuesta de %1</translation>
    </message>
    <message>
        <source>No results to compare yet.</source>
        <translation>Aún no hay resultados que comparar.</translation>
    </message>
    <message>
        <source>No disputed numbers, dates or names.</source>
        <translation>No hay números, fechas ni nombres en disputa.</translation>
    </message>
    <message numerus="yes">
        <source>%n disputed fact(s), highlighted in orange; agreed ones are underlined.</source>
        <translation>
            <numerusform>%n dato en disputa, resaltado en naranja; los coincidentes aparecen subrayados.</numerusform>
            <numerusform>%n datos en disputa, resaltados en naranja; los coincidentes aparecen subrayados.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing disputed in this answer.</source>
        <translation>No hay nada en disputa en esta respuesta.</translation>
    </message>
    <message>
        <source>Disputed here: %1</source>
        <translation>En disputa aquí: %1</translation>
    </message>
    <message>
        <source>Comparing…</source>
        <translation>Comparando…</translation>
    </message>
</context>
<context>
    <name>Slopscope::PlainHttpHostsBox</name>
    <message>
        <source>Keys over plain HTTP</source>
        <translation>Claves por HTTP sin cifrar</translation>
    </message>
    <message>
        <source>Hosts you allowed to receive a key without TLS (http://). Anyone on the network path can read a key sent to them. Revoke a host to be asked again.</source>
        <translation>Hosts a los que permitió recibir una clave sin TLS (http://). Cualquiera en la ruta de red puede leer una clave enviada a ellos. Revoque un host para que se le vuelva a preguntar.</translation>
    </message>
    <message>
        <source>Hosts allowed to receive a key over plain HTTP</source>
        <translation>Hosts autorizados a recibir una clave por HTTP sin cifrar</translation>
    </message>
    <message>
        <source>Re&amp;voke</source>
        <translation>&amp;Revocar</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(ninguno)</translation>
    </message>
</context>
<context>
    <name>Slopscope::ProviderSettingsForm</name>
    <message>
        <source>Base &amp;URL:</source>
        <translation>&amp;URL base:</translation>
    </message>
    <message>
        <source>Answered by the embedded simulator: its address is chosen when a run starts.</source>
        <translation>Responde el simulador integrado: su dirección se elige al iniciar una ejecución.</translation>
    </message>
    <message>
        <source>Max &amp;concurrent requests:</source>
        <translation>Máx. solicitudes &amp;simultáneas:</translation>
    </message>
    <message>
        <source>Max &amp;retries:</source>
        <translation>Máx. &amp;reintentos:</translation>
    </message>
    <message>
        <source>Follow the environment</source>
        <translation>Seguir el entorno</translation>
    </message>
    <message>
        <source>None (direct)</source>
        <translation>Ninguno (directo)</translation>
    </message>
    <message>
        <source>This proxy:</source>
        <translation>Este proxy:</translation>
    </message>
    <message>
        <source>Pro&amp;xy:</source>
        <translation>Pro&amp;xy:</translation>
    </message>
    <message>
        <source>Allow the key over plain &amp;HTTP</source>
        <translation>Permitir la clave por &amp;HTTP sin cifrar</translation>
    </message>
    <message>
        <source>Send the key even when the address is http:// and not this computer. Anyone on the network between can read it.</source>
        <translation>Enviar la clave aunque la dirección sea http:// y no este equipo. Cualquiera en la red intermedia puede leerla.</translation>
    </message>
    <message>
        <source>Timeouts</source>
        <translation>Tiempos de espera</translation>
    </message>
    <message>
        <source>Connect:</source>
        <translation>Conexión:</translation>
    </message>
    <message>
        <source>First byte:</source>
        <translation>Primer byte:</translation>
    </message>
    <message>
        <source>First token:</source>
        <translation>Primer token:</translation>
    </message>
    <message>
        <source>Idle:</source>
        <translation>Inactividad:</translation>
    </message>
    <message>
        <source>Content idle:</source>
        <translation>Inactividad de contenido:</translation>
    </message>
    <message>
        <source>Total:</source>
        <translation>Total:</translation>
    </message>
    <message>
        <source>%1.proxy: enter the proxy&apos;s URL, or choose another proxy setting</source>
        <translation>%1.proxy: introduzca la URL del proxy o elija otra opción de proxy</translation>
    </message>
    <message>
        <source>Targets name their provider by this id; renaming it renames it in them too.</source>
        <translation>Los objetivos nombran a su proveedor con este id; al renombrarlo también se renombra en ellos.</translation>
    </message>
    <message>
        <source>&amp;Id:</source>
        <translation>&amp;Id:</translation>
    </message>
    <message>
        <source>OpenAI Chat Completions (and compatible servers)</source>
        <translation>OpenAI Chat Completions (y servidores compatibles)</translation>
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
        <translation>&amp;Dialecto:</translation>
    </message>
    <message>
        <source>none (a local server)</source>
        <translation>ninguna (un servidor local)</translation>
    </message>
    <message>
        <source>The name the key is kept under: a keychain entry (Settings ▸ Keys) or an environment variable. The key itself is never written to the workspace.</source>
        <translation>El nombre con el que se guarda la clave: una entrada del llavero (Ajustes ▸ Claves) o una variable de entorno. La clave en sí nunca se escribe en el espacio de trabajo.</translation>
    </message>
    <message>
        <source>API &amp;key name:</source>
        <translation>Nombre de la &amp;clave de API:</translation>
    </message>
    <message>
        <source>Provider %1</source>
        <translation>Proveedor %1</translation>
    </message>
    <message>
        <source>Headers</source>
        <translation>Cabeceras</translation>
    </message>
    <message>
        <source>Sent with every request, and written to the workspace as they are:</source>
        <translation>Se envían con cada solicitud y se escriben tal cual en el espacio de trabajo:</translation>
    </message>
    <message>
        <source>Header</source>
        <translation>Cabecera</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valor</translation>
    </message>
    <message>
        <source>Add header</source>
        <translation>Añadir cabecera</translation>
    </message>
    <message>
        <source>Remove header</source>
        <translation>Quitar cabecera</translation>
    </message>
    <message>
        <source>Secret headers: their values are kept in the keychain (Settings ▸ Keys) or an environment variable under the name given here, and are never shown or written to the workspace.</source>
        <translation>Cabeceras secretas: sus valores se guardan en el llavero (Ajustes ▸ Claves) o en una variable de entorno con el nombre indicado aquí, y nunca se muestran ni se escriben en el espacio de trabajo.</translation>
    </message>
    <message>
        <source>Keychain entry or variable</source>
        <translation>Entrada del llavero o variable</translation>
    </message>
    <message>
        <source>Secret headers</source>
        <translation>Cabeceras secretas</translation>
    </message>
    <message>
        <source>Add secret header</source>
        <translation>Añadir cabecera secreta</translation>
    </message>
    <message>
        <source>Remove secret header</source>
        <translation>Quitar cabecera secreta</translation>
    </message>
    <message>
        <source>Certificate authorities</source>
        <translation>Autoridades de certificación</translation>
    </message>
    <message>
        <source>A PEM file of extra authorities to trust for this provider, besides the system&apos;s (a company proxy&apos;s or a private server&apos;s).</source>
        <translation>Un archivo PEM de autoridades adicionales en las que confiar para este proveedor, además de las del sistema (las de un proxy corporativo o un servidor privado).</translation>
    </message>
    <message>
        <source>none: only the system&apos;s authorities</source>
        <translation>ninguno: solo las autoridades del sistema</translation>
    </message>
    <message>
        <source>CA certificate file</source>
        <translation>Archivo de certificado de CA</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Examinar…</translation>
    </message>
    <message>
        <source>Certificate Authorities</source>
        <translation>Autoridades de certificación</translation>
    </message>
    <message>
        <source>PEM certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>Certificados PEM (*.pem *.crt *.cer);;Todos los archivos (*)</translation>
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
        <translation>introduzca la ruta completa del archivo</translation>
    </message>
    <message>
        <source>Not trusted: %1.</source>
        <translation>No de confianza: %1.</translation>
    </message>
    <message numerus="yes">
        <source>Trusted: %n certificate(s), the first “%1”, valid until %2.</source>
        <translation>
            <numerusform>De confianza: %n certificado, el primero “%1”, válido hasta %2.</numerusform>
            <numerusform>De confianza: %n certificados, el primero “%1”, válido hasta %2.</numerusform>
        </translation>
    </message>
    <message>
        <source>Loaded.</source>
        <translation>Cargado.</translation>
    </message>
    <message>
        <source>A provider needs an id.</source>
        <translation>Un proveedor necesita un id.</translation>
    </message>
    <message>
        <source>Another provider already has the id “%1”.</source>
        <translation>Otro proveedor ya tiene el id “%1”.</translation>
    </message>
    <message>
        <source>Enter an http:// or https:// address, such as https://api.example.com/v1.</source>
        <translation>Introduzca una dirección http:// o https://, como https://api.example.com/v1.</translation>
    </message>
</context>
<context>
    <name>Slopscope::ProviderStatusBoard</name>
    <message>
        <source>rate-limited</source>
        <translation>limitado por tasa</translation>
    </message>
    <message>
        <source>%1: %2, resuming now</source>
        <translation>%1: %2, reanudando ahora</translation>
    </message>
    <message>
        <source>%1: %2, resuming in %3</source>
        <translation>%1: %2, reanudando en %3</translation>
    </message>
    <message>
        <source>%1: stopped — %2</source>
        <translation>%1: detenido — %2</translation>
    </message>
    <message>
        <source>%1: offline — waiting for the network</source>
        <translation>%1: sin conexión — esperando a la red</translation>
    </message>
</context>
<context>
    <name>Slopscope::ProviderStatusStrip</name>
    <message>
        <source>Provider status</source>
        <translation>Estado de los proveedores</translation>
    </message>
</context>
<context>
    <name>Slopscope::ProvidersSettingsPage</name>
    <message>
        <source>Providers</source>
        <translation>Proveedores</translation>
    </message>
    <message>
        <source>Targets</source>
        <translation>Objetivos</translation>
    </message>
    <message>
        <source>Select a provider or a target.</source>
        <translation>Seleccione un proveedor o un objetivo.</translation>
    </message>
    <message>
        <source>Providers and targets</source>
        <translation>Proveedores y objetivos</translation>
    </message>
    <message>
        <source>&amp;Add Provider</source>
        <translation>&amp;Añadir proveedor</translation>
    </message>
    <message>
        <source>Other OpenAI-compatible server (blank)</source>
        <translation>Otro servidor compatible con OpenAI (en blanco)</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>&amp;Quitar</translation>
    </message>
    <message>
        <source>Remove the selected provider</source>
        <translation>Quitar el proveedor seleccionado</translation>
    </message>
    <message>
        <source>Remove Provider</source>
        <translation>Quitar proveedor</translation>
    </message>
    <message>
        <source>%1

Remove these targets together with provider &quot;%2&quot;?</source>
        <translation>%1

¿Quitar estos objetivos junto con el proveedor &quot;%2&quot;?</translation>
    </message>
    <message>
        <source>Remove All</source>
        <translation>Quitar todo</translation>
    </message>
    <message numerus="yes">
        <source>Provider &quot;%1&quot; is used by %n target(s): %2.</source>
        <translation>
            <numerusform>El proveedor &quot;%1&quot; lo usa %n objetivo: %2.</numerusform>
            <numerusform>El proveedor &quot;%1&quot; lo usan %n objetivos: %2.</numerusform>
        </translation>
    </message>
    <message>
        <source>Not removed. %1</source>
        <translation>No se ha quitado. %1</translation>
    </message>
    <message numerus="yes">
        <source>Removed provider &quot;%1&quot; and %n target(s) with it.</source>
        <translation>
            <numerusform>Se ha quitado el proveedor &quot;%1&quot; y %n objetivo con él.</numerusform>
            <numerusform>Se ha quitado el proveedor &quot;%1&quot; y %n objetivos con él.</numerusform>
        </translation>
    </message>
    <message>
        <source>Removed provider &quot;%1&quot;.</source>
        <translation>Se ha quitado el proveedor &quot;%1&quot;.</translation>
    </message>
    <message>
        <source>%1.id: duplicate provider id &quot;%2&quot;</source>
        <translation>%1.id: id de proveedor duplicado &quot;%2&quot;</translation>
    </message>
    <message>
        <source>e.g. .corp.example, 10.0.0.0/8, gpu-box:11434</source>
        <translation>p. ej. .corp.example, 10.0.0.0/8, gpu-box:11434</translation>
    </message>
    <message>
        <source>Hosts that never go through the proxy, besides those in no_proxy: names, .suffixes, IP addresses, CIDR blocks, host:port, or * for all. Comma-separated. This computer always goes direct.</source>
        <translation>Hosts que nunca pasan por el proxy, además de los de no_proxy: nombres, .sufijos, direcciones IP, bloques CIDR, host:puerto, o * para todos. Separados por comas. Este equipo siempre va directo.</translation>
    </message>
    <message>
        <source>Hosts that bypass the proxy</source>
        <translation>Hosts que omiten el proxy</translation>
    </message>
    <message>
        <source>&amp;Bypass the proxy for:</source>
        <translation>&amp;Omitir el proxy para:</translation>
    </message>
</context>
<context>
    <name>Slopscope::ProxyCredentialsDialog</name>
    <message>
        <source>Proxy Authentication</source>
        <translation>Autenticación del proxy</translation>
    </message>
    <message>
        <source>The proxy refused these credentials for the requests to %1. Enter them again.</source>
        <translation>El proxy rechazó estas credenciales para las solicitudes a %1. Introdúzcalas de nuevo.</translation>
    </message>
    <message>
        <source>The proxy asks for a user name and password before it forwards the requests to %1.</source>
        <translation>El proxy pide un nombre de usuario y una contraseña antes de reenviar las solicitudes a %1.</translation>
    </message>
    <message>
        <source>Proxy user name</source>
        <translation>Nombre de usuario del proxy</translation>
    </message>
    <message>
        <source>Proxy password</source>
        <translation>Contraseña del proxy</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>Nombre de &amp;usuario:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Contraseña:</translation>
    </message>
    <message>
        <source>Kept in memory until Slopscope quits; never saved. Run again (or retry the failed cells) to send the requests with them.</source>
        <translation>Se guardan en memoria hasta que Slopscope se cierre; nunca en disco. Vuelva a ejecutar (o reintente las celdas fallidas) para enviar las solicitudes con ellas.</translation>
    </message>
    <message>
        <source>&amp;Use</source>
        <translation>&amp;Usar</translation>
    </message>
</context>
<context>
    <name>Slopscope::ProxyRules</name>
    <message>
        <source>%1: &quot;%2&quot; is not a proxy URL (expected http://host:port)</source>
        <translation>%1: &quot;%2&quot; no es una URL de proxy (se esperaba http://host:port)</translation>
    </message>
    <message>
        <source>%1: %2: a proxy reached over TLS (https://) is not supported; use http://, the connection to the provider is still encrypted end to end</source>
        <translation>%1: %2: no se admite un proxy al que se accede mediante TLS (https://); use http://, la conexión con el proveedor sigue cifrada de extremo a extremo</translation>
    </message>
    <message>
        <source>%1: %2: unsupported proxy scheme &quot;%3&quot; (expected http:// or socks5://)</source>
        <translation>%1: %2: esquema de proxy no admitido &quot;%3&quot; (se esperaba http:// o socks5://)</translation>
    </message>
    <message>
        <source>%1: %2: a proxy URL has no path</source>
        <translation>%1: %2: una URL de proxy no lleva ruta</translation>
    </message>
    <message>
        <source>%1: proxy credentials are secrets and are not read from workspace files; set them in https_proxy (http://user:password@host:port)</source>
        <translation>%1: las credenciales del proxy son secretos y no se leen de los archivos del espacio de trabajo; defínalas en https_proxy (http://user:password@host:port)</translation>
    </message>
    <message>
        <source>direct</source>
        <translation>directo</translation>
    </message>
    <message>
        <source>via %1://%2:%3</source>
        <translation>a través de %1://%2:%3</translation>
    </message>
</context>
<context>
    <name>Slopscope::QuadrantChart</name>
    <message>
        <source>Price · speed · quality</source>
        <translation>Precio · velocidad · calidad</translation>
    </message>
    <message>
        <source>Cost per 1,000 cases (USD, log scale)</source>
        <translation>Coste por 1000 casos (USD, escala logarítmica)</translation>
    </message>
    <message>
        <source>Blended price per million tokens (USD, log scale)</source>
        <translation>Precio combinado por millón de tokens (USD, escala logarítmica)</translation>
    </message>
    <message>
        <source>Median time to first token (ms)</source>
        <translation>Mediana del tiempo hasta el primer token (ms)</translation>
    </message>
    <message>
        <source>Decode speed (tokens/s)</source>
        <translation>Velocidad de decodificación (tokens/s)</translation>
    </message>
    <message>
        <source>95th percentile latency (ms)</source>
        <translation>Latencia del percentil 95 (ms)</translation>
    </message>
    <message>
        <source>cheap &amp; good</source>
        <translation>barato y bueno</translation>
    </message>
    <message>
        <source>expensive &amp; good</source>
        <translation>caro y bueno</translation>
    </message>
    <message>
        <source>fast &amp; good</source>
        <translation>rápido y bueno</translation>
    </message>
    <message>
        <source>slow &amp; good</source>
        <translation>lento y bueno</translation>
    </message>
    <message>
        <source>cheap &amp; weak</source>
        <translation>barato y flojo</translation>
    </message>
    <message>
        <source>expensive &amp; weak</source>
        <translation>caro y flojo</translation>
    </message>
    <message>
        <source>fast &amp; weak</source>
        <translation>rápido y flojo</translation>
    </message>
    <message>
        <source>slow &amp; weak</source>
        <translation>lento y flojo</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>desconocido</translation>
    </message>
    <message>
        <source> (95% interval %1–%2%)</source>
        <translation> (intervalo del 95&#xa0;%: %1–%2&#xa0;%)</translation>
    </message>
    <message>
        <source>%1
quality %2, n = %3
cost per 1,000 cases $%4
blended $%5 / Mtok
TTFT p50 %6 ms · p95 latency %7 ms
decode %8 tokens/s</source>
        <translation>%1
calidad %2, n = %3
coste por 1000 casos $%4
precio combinado $%5 / Mtok
TTFT p50 %6 ms · latencia p95 %7 ms
decodificación %8 tokens/s</translation>
    </message>
    <message>
        <source>Quality (%)</source>
        <translation>Calidad (%)</translation>
    </message>
    <message>
        <source>Pareto frontier</source>
        <translation>Frontera de Pareto</translation>
    </message>
    <message>
        <source>Slopscope quadrant</source>
        <translation>Cuadrante de Slopscope</translation>
    </message>
    <message>
        <source>Unknown chart format &quot;%1&quot;: use .png, .svg or .pdf</source>
        <translation>Formato de gráfico desconocido &quot;%1&quot;: use .png, .svg o .pdf</translation>
    </message>
    <message>
        <source>Cannot write %1</source>
        <translation>No se puede escribir %1</translation>
    </message>
    <message>
        <source>Policy %1
%2
quality %3% (95% interval %4–%5%), n = %6
cost per 1,000 cases $%7
p95 latency %8 ms
escalated %9%</source>
        <translation>Política %1
%2
calidad %3% (intervalo del 95&#xa0;% %4–%5%), n = %6
coste por 1000 casos $%7
latencia p95 %8 ms
escalado %9%</translation>
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
        <translation>Coste por 1000 casos</translation>
    </message>
    <message>
        <source>Blended $/Mtok</source>
        <translation>Precio combinado $/Mtok</translation>
    </message>
    <message>
        <source>Median TTFT</source>
        <translation>TTFT mediano</translation>
    </message>
    <message>
        <source>Decode tokens/s</source>
        <translation>Decodificación tokens/s</translation>
    </message>
    <message>
        <source>p95 latency</source>
        <translation>Latencia p95</translation>
    </message>
    <message>
        <source>Quadrant x axis</source>
        <translation>Eje x del cuadrante</translation>
    </message>
    <message>
        <source>The figure along the horizontal axis: a price or a speed.</source>
        <translation>La cifra del eje horizontal: un precio o una velocidad.</translation>
    </message>
    <message>
        <source>Canonical only</source>
        <translation>Solo canónica</translation>
    </message>
    <message>
        <source>Variants only</source>
        <translation>Solo variantes</translation>
    </message>
    <message>
        <source>Canonical and variants</source>
        <translation>Canónica y variantes</translation>
    </message>
    <message>
        <source>Quadrant quality</source>
        <translation>Calidad del cuadrante</translation>
    </message>
    <message>
        <source>Fixed d&amp;ividers</source>
        <translation>Divisorias &amp;fijas</translation>
    </message>
    <message>
        <source>Split the quadrant at your own thresholds instead of the lineup&apos;s medians.</source>
        <translation>Dividir el cuadrante según sus propios umbrales en lugar de las medianas de los objetivos comparados.</translation>
    </message>
    <message>
        <source>Vertical divider position</source>
        <translation>Posición de la divisoria vertical</translation>
    </message>
    <message>
        <source>Where the vertical divider sits, in the x axis&apos;s unit.</source>
        <translation>Dónde se sitúa la divisoria vertical, en la unidad del eje x.</translation>
    </message>
    <message>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <source>Horizontal divider position</source>
        <translation>Posición de la divisoria horizontal</translation>
    </message>
    <message>
        <source>The quality at which the horizontal divider sits.</source>
        <translation>La calidad en la que se sitúa la divisoria horizontal.</translation>
    </message>
    <message>
        <source>&amp;X axis:</source>
        <translation>Eje &amp;X:</translation>
    </message>
    <message>
        <source>&amp;Quality:</source>
        <translation>&amp;Calidad:</translation>
    </message>
    <message>
        <source>x &amp;at</source>
        <translation>x &amp;en</translation>
    </message>
    <message>
        <source>q&amp;uality at</source>
        <translation>c&amp;alidad en</translation>
    </message>
    <message>
        <source>Quality, variants only (%)</source>
        <translation>Calidad, solo variantes (%)</translation>
    </message>
    <message>
        <source>Quality, canonical and variants (%)</source>
        <translation>Calidad, canónica y variantes (%)</translation>
    </message>
    <message>
        <source>Quality, canonical only (%)</source>
        <translation>Calidad, solo canónica (%)</translation>
    </message>
    <message>
        <source>Within time budget</source>
        <translation>Dentro del tiempo límite</translation>
    </message>
    <message>
        <source>Which answers the quality counts: the suite&apos;s own wording, only the rewordings (run with Variants checked), or both; or the suite&apos;s own wording with an answer later than its case&apos;s time budget (the suite&apos;s time_budget_ms) counted as a failure.</source>
        <translation>Qué respuestas cuenta la calidad: la redacción original de la suite, solo las reformulaciones (ejecución con Variantes marcado) o ambas; o la redacción original de la suite, contando como fallo una respuesta posterior al tiempo límite de su caso (time_budget_ms de la suite).</translation>
    </message>
    <message>
        <source>Quality within budget (%)</source>
        <translation>Calidad en tiempo límite (%)</translation>
    </message>
</context>
<context>
    <name>Slopscope::QuickCompareSession</name>
    <message>
        <source>the answer was cut off before its end</source>
        <translation>la respuesta se cortó antes de terminar</translation>
    </message>
    <message>
        <source>the provider stopped before the answer was complete</source>
        <translation>el proveedor se detuvo antes de completar la respuesta</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>detenido</translation>
    </message>
    <message>
        <source>the request failed</source>
        <translation>la solicitud falló</translation>
    </message>
    <message>
        <source>The last prompt is still being answered: wait for it or stop it first.</source>
        <translation>El último prompt aún se está respondiendo: espere o deténgalo primero.</translation>
    </message>
    <message>
        <source>Type a prompt first.</source>
        <translation>Escriba primero un prompt.</translation>
    </message>
    <message>
        <source>Check at least one target.</source>
        <translation>Marque al menos un objetivo.</translation>
    </message>
    <message>
        <source>Quick compare</source>
        <translation>Comparación rápida</translation>
    </message>
    <message>
        <source>The workspace has no target &quot;%1&quot;.</source>
        <translation>El espacio de trabajo no tiene ningún objetivo &quot;%1&quot;.</translation>
    </message>
    <message>
        <source>There is no exchange %1 in this chat.</source>
        <translation>No hay ningún intercambio %1 en este chat.</translation>
    </message>
    <message>
        <source>The target &quot;%1&quot; did not take part in exchange %2.</source>
        <translation>El objetivo &quot;%1&quot; no participó en el intercambio %2.</translation>
    </message>
    <message>
        <source>This chat has spent $%1, its spend cap of $%2: raise the cap or start a new chat.</source>
        <translation>Este chat ha gastado $%1, su límite de gasto de $%2: aumente el límite o inicie un chat nuevo.</translation>
    </message>
    <message>
        <source>stopped: %1</source>
        <translation>detenido: %1</translation>
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
        <translation>Nuevo chat: escriba un prompt abajo y pulse Ctrl+Enter.</translation>
    </message>
    <message>
        <source>Type a prompt below and press Ctrl+Enter to send it to every checked target.</source>
        <translation>Escriba un prompt abajo y pulse Ctrl+Enter para enviarlo a cada objetivo marcado.</translation>
    </message>
    <message>
        <source>Exchange:</source>
        <translation>Intercambio:</translation>
    </message>
    <message>
        <source>Exchange to save</source>
        <translation>Intercambio que se guardará</translation>
    </message>
    <message>
        <source>as seen by</source>
        <translation>visto por</translation>
    </message>
    <message>
        <source>Target whose conversation is saved</source>
        <translation>Objetivo cuya conversación se guarda</translation>
    </message>
    <message>
        <source>its answer as reference</source>
        <translation>su respuesta como referencia</translation>
    </message>
    <message>
        <source>Save as Suite Case</source>
        <translation>Guardar como caso de la suite</translation>
    </message>
    <message>
        <source>Adds this exchange, with the conversation before it, to the selected suite</source>
        <translation>Añade este intercambio, con la conversación anterior, a la suite seleccionada</translation>
    </message>
    <message>
        <source>vs</source>
        <translation>vs.</translation>
    </message>
    <message>
        <source>Target whose answer is diffed</source>
        <translation>Objetivo cuya respuesta se compara</translation>
    </message>
    <message>
        <source>Diff</source>
        <translation>Diferencias</translation>
    </message>
    <message>
        <source>Shows the two answers to this exchange side by side, the differing words marked</source>
        <translation>Muestra las dos respuestas a este intercambio una junto a otra, con las palabras distintas marcadas</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>Prompt de sistema</translation>
    </message>
    <message>
        <source>Optional: instructions every target gets first (sent with every turn)</source>
        <translation>Opcional: instrucciones que cada objetivo recibe primero (se envían en cada turno)</translation>
    </message>
    <message>
        <source>Ask every checked target… (Ctrl+Enter sends)</source>
        <translation>Preguntar a cada objetivo marcado… (Ctrl+Enter envía)</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <source>Attach Text File…</source>
        <translation>Adjuntar archivo de texto…</translation>
    </message>
    <message>
        <source>Plain-text files up to %1, folded into the prompt with their names</source>
        <translation>Archivos de texto sin formato de hasta %1, incorporados al prompt con sus nombres</translation>
    </message>
    <message>
        <source>New Chat</source>
        <translation>Nuevo chat</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Detener</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Enviar</translation>
    </message>
    <message>
        <source>Send to every checked target (Ctrl+Enter)</source>
        <translation>Enviar a cada objetivo marcado (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Attach Text File</source>
        <translation>Adjuntar archivo de texto</translation>
    </message>
    <message>
        <source>Text files (*.txt *.md *.csv *.json *.log *.xml *.yaml *.yml);;All files (*)</source>
        <translation>Archivos de texto (*.txt *.md *.csv *.json *.log *.xml *.yaml *.yml);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>%1  ✕</source>
        <translation>%1  ✕</translation>
    </message>
    <message>
        <source>Remove %1 from the prompt</source>
        <translation>Quitar %1 del prompt</translation>
    </message>
    <message>
        <source>▶ You: %1</source>
        <translation>▶ Usted: %1</translation>
    </message>
    <message>
        <source>(attached: %1)</source>
        <translation>(adjunto: %1)</translation>
    </message>
    <message>
        <source>[Not part of the conversation (%1): the next turns were sent to this target without this exchange.]</source>
        <translation>[Fuera de la conversación (%1): los turnos siguientes se enviaron a este objetivo sin este intercambio.]</translation>
    </message>
    <message>
        <source>Turn %1: %2</source>
        <translation>Turno %1: %2</translation>
    </message>
    <message numerus="yes">
        <source>Sending turn %1 to %n target(s)…</source>
        <translation>
            <numerusform>Enviando el turno %1 a %n objetivo…</numerusform>
            <numerusform>Enviando el turno %1 a %n objetivos…</numerusform>
        </translation>
    </message>
    <message>
        <source>attempt %1</source>
        <translation>intento %1</translation>
    </message>
    <message>
        <source>[%1 This answer stays out of the conversation: the next turn is sent to this target without this exchange.]</source>
        <translation>[%1 Esta respuesta queda fuera de la conversación: el siguiente turno se envía a este objetivo sin este intercambio.]</translation>
    </message>
    <message>
        <source>spent $%1 in this chat</source>
        <translation>$%1 gastados en este chat</translation>
    </message>
    <message>
        <source>Turn %1 answered. %2</source>
        <translation>Turno %1 respondido. %2</translation>
    </message>
    <message numerus="yes">
        <source>Turn %1: %n answer(s) incomplete. %2</source>
        <translation>
            <numerusform>Turno %1: %n respuesta incompleta. %2</numerusform>
            <numerusform>Turno %1: %n respuestas incompletas. %2</numerusform>
        </translation>
    </message>
    <message>
        <source>%1. %2</source>
        <translation>%1. %2</translation>
    </message>
    <message>
        <source>New chat.</source>
        <translation>Nuevo chat.</translation>
    </message>
    <message>
        <source>Stopped: %1; %2</source>
        <translation>Detenido: %1; %2</translation>
    </message>
</context>
<context>
    <name>Slopscope::RatedCellDelegate</name>
    <message>
        <source>Rated: %1</source>
        <translation>Valoración: %1</translation>
    </message>
    <message>
        <source>Rated: %1 — %2</source>
        <translation>Valoración: %1 — %2</translation>
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
        <translation>Su valoración</translation>
    </message>
    <message>
        <source>Your rating:</source>
        <translation>Su valoración:</translation>
    </message>
    <message>
        <source>Pass</source>
        <translation>Superada</translation>
    </message>
    <message>
        <source>The answer passes (key P)</source>
        <translation>La respuesta supera la evaluación (tecla P)</translation>
    </message>
    <message>
        <source>Fail</source>
        <translation>Fallida</translation>
    </message>
    <message>
        <source>The answer fails (key F)</source>
        <translation>La respuesta no supera la evaluación (tecla F)</translation>
    </message>
    <message>
        <source>%1★</source>
        <translation>%1★</translation>
    </message>
    <message numerus="yes">
        <source>%n star(s) of 5 (key %n)</source>
        <translation>
            <numerusform>%n estrella de 5 (tecla %n)</numerusform>
            <numerusform>%n estrellas de 5 (tecla %n)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n star(s)</source>
        <translation>
            <numerusform>%n estrella</numerusform>
            <numerusform>%n estrellas</numerusform>
        </translation>
    </message>
    <message>
        <source>Rating note</source>
        <translation>Nota de la valoración</translation>
    </message>
    <message>
        <source>Note (optional, Enter saves)</source>
        <translation>Nota (opcional, Intro guarda)</translation>
    </message>
    <message>
        <source>An optional note; Enter saves it with the chosen rating</source>
        <translation>Una nota opcional; Intro la guarda con la valoración elegida</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Deshacer</translation>
    </message>
    <message>
        <source>Take back the last rating of this answer</source>
        <translation>Retirar la última valoración de esta respuesta</translation>
    </message>
    <message>
        <source>How often your pass/fail matches the judge&apos;s on the answers both graded (4 stars and up count as a pass); Cohen&apos;s kappa corrects for chance</source>
        <translation>Con qué frecuencia su superada/fallida coincide con la del juez en las respuestas que ambos evaluaron (4 estrellas o más cuentan como superada); la kappa de Cohen corrige el azar</translation>
    </message>
    <message>
        <source>Choose Pass, Fail or stars first: the note is saved with them.</source>
        <translation>Elija primero Superada, Fallida o estrellas: la nota se guarda con ellas.</translation>
    </message>
</context>
<context>
    <name>Slopscope::RatingBook</name>
    <message>
        <source>pass</source>
        <translation>superada</translation>
    </message>
    <message>
        <source>fail</source>
        <translation>fallida</translation>
    </message>
    <message>
        <source>[★%1]</source>
        <comment>a matrix cell&apos;s human rating in stars</comment>
        <translation>[★%1]</translation>
    </message>
    <message>
        <source>[pass]</source>
        <comment>a matrix cell&apos;s human rating</comment>
        <translation>[superada]</translation>
    </message>
    <message>
        <source>[fail]</source>
        <comment>a matrix cell&apos;s human rating</comment>
        <translation>[fallida]</translation>
    </message>
    <message>
        <source>Ratings could not be read, cells show as unrated: %1</source>
        <translation>No se pudieron leer las valoraciones; las celdas se muestran sin valorar: %1</translation>
    </message>
</context>
<context>
    <name>Slopscope::ResultMatrixModel</name>
    <message>
        <source>completed</source>
        <translation>completada</translation>
    </message>
    <message>
        <source>stopped early</source>
        <translation>detenida antes de tiempo</translation>
    </message>
    <message>
        <source>truncated</source>
        <translation>truncado</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fallido</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>cancelado</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>pendiente</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>(empty answer)</source>
        <translation>(respuesta vacía)</translation>
    </message>
    <message>
        <source>%1 %2/%3 · %4 · %5</source>
        <translation>%1 %2/%3 · %4 · %5</translation>
    </message>
    <message>
        <source>%1 · case %2</source>
        <translation>%1 · caso %2</translation>
    </message>
    <message>
        <source> · variant %1</source>
        <translation> · variante %1</translation>
    </message>
    <message>
        <source>Score %1 · %2/%3 passed</source>
        <translation>Puntuación %1 · %2/%3 superadas</translation>
    </message>
    <message>
        <source>Repeat %1: score %2</source>
        <translation>Repetición %1: puntuación %2</translation>
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
            <numerusform>…y %n repetición más</numerusform>
            <numerusform>…y %n repeticiones más</numerusform>
        </translation>
    </message>
    <message>
        <source>Tags: %1</source>
        <translation>Etiquetas: %1</translation>
    </message>
    <message>
        <source>No answer yet</source>
        <translation>Aún no hay respuesta</translation>
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
        <translation>Solo &amp;fallidos</translation>
    </message>
    <message>
        <source>Show only the cases where some answer did not pass</source>
        <translation>Mostrar solo los casos en los que alguna respuesta no superó la evaluación</translation>
    </message>
    <message>
        <source>&amp;Tag</source>
        <translation>Eti&amp;queta</translation>
    </message>
    <message>
        <source>Tag filter</source>
        <translation>Filtro de etiqueta</translation>
    </message>
    <message>
        <source>&amp;Wording</source>
        <translation>F&amp;ormulación</translation>
    </message>
    <message>
        <source>Wording filter</source>
        <translation>Filtro de formulación</translation>
    </message>
    <message>
        <source>Canonical and variants</source>
        <translation>Canónica y variantes</translation>
    </message>
    <message>
        <source>Canonical only</source>
        <translation>Solo canónica</translation>
    </message>
    <message>
        <source>Variants only</source>
        <translation>Solo variantes</translation>
    </message>
    <message>
        <source>Results matrix</source>
        <translation>Matriz de resultados</translation>
    </message>
    <message>
        <source>All tags</source>
        <translation>Todas las etiquetas</translation>
    </message>
    <message>
        <source>✓ all passed   ◐ some   ✗ none   … awaiting judge   [pass] [★4] your rating</source>
        <translation>✓ todas superadas   ◐ algunas   ✗ ninguna   … esperando al juez   [superada] [★4] su valoración</translation>
    </message>
    <message>
        <source>No history is recorded: ratings are kept for this session only.</source>
        <translation>No se registra historial: las valoraciones solo se conservan durante esta sesión.</translation>
    </message>
    <message numerus="yes">
        <source>Agreement with the judge: %1% (Cohen&apos;s κ %2) over %n rated answer(s)</source>
        <translation>
            <numerusform>Concordancia con el juez: %1&#xa0;% (κ de Cohen %2) en %n respuesta valorada</numerusform>
            <numerusform>Concordancia con el juez: %1&#xa0;% (κ de Cohen %2) en %n respuestas valoradas</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Slopscope::RoutingComparisonModel</name>
    <message>
        <source>single target</source>
        <translation>objetivo único</translation>
    </message>
    <message>
        <source>%1–%2%</source>
        <translation>%1–%2&#xa0;%</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 recorded / %2 oracle</source>
        <translation>%1 registrados / %2 oráculo</translation>
    </message>
    <message>
        <source>none</source>
        <translation>ninguno</translation>
    </message>
    <message>
        <source>%1 answers, %2 verdicts</source>
        <translation>%1 respuestas, %2 veredictos</translation>
    </message>
    <message>
        <source>Select the row to list what is missing below the table.</source>
        <translation>Seleccione la fila para ver debajo de la tabla lo que falta.</translation>
    </message>
    <message>
        <source>On %1 case(s); %2 replay(s) left out for missing data, %3 without a score.</source>
        <translation>Sobre %1 caso(s); %2 reproducción(es) omitida(s) por falta de datos, %3 sin puntuación.</translation>
    </message>
    <message>
        <source>%1 replay(s) of unknown cost: no total is shown rather than a partial one.</source>
        <translation>%1 reproducción(es) de coste desconocido: no se muestra ningún total antes que uno parcial.</translation>
    </message>
    <message>
        <source>Policy / target</source>
        <translation>Política / objetivo</translation>
    </message>
    <message>
        <source>Route</source>
        <translation>Ruta</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>Calidad</translation>
    </message>
    <message>
        <source>95% interval</source>
        <translation>Intervalo del 95%</translation>
    </message>
    <message>
        <source>$ / 1,000 cases</source>
        <translation>$ / 1000 casos</translation>
    </message>
    <message>
        <source>p50 latency</source>
        <translation>latencia p50</translation>
    </message>
    <message>
        <source>p95 latency</source>
        <translation>Latencia p95</translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation>Escalados</translation>
    </message>
    <message>
        <source>Verdicts</source>
        <translation>Veredictos</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>Faltantes</translation>
    </message>
</context>
<context>
    <name>Slopscope::RoutingDialog</name>
    <message>
        <source>answer   case %1, repeat %2: %3</source>
        <translation>respuesta  caso %1, repetición %2: %3</translation>
    </message>
    <message>
        <source>verdict  case %1, repeat %2: %3 on %4&apos;s answer</source>
        <translation>veredicto  caso %1, repetición %2: %3 sobre la respuesta de %4</translation>
    </message>
    <message>
        <source>Routing Policies</source>
        <translation>Políticas de enrutamiento</translation>
    </message>
    <message>
        <source>No finished run to replay yet: run a suite, or open one from File ▸ History.</source>
        <translation>Aún no hay ninguna ejecución terminada que reproducir: ejecute una batería o abra una desde Archivo ▸ Historial.</translation>
    </message>
    <message>
        <source>Policies</source>
        <translation>Políticas</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>&amp;Añadir</translation>
    </message>
    <message>
        <source>Cascade</source>
        <translation>Cascada</translation>
    </message>
    <message>
        <source>By Tag</source>
        <translation>Por etiqueta</translation>
    </message>
    <message>
        <source>Best of N</source>
        <translation>Mejor de N</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>&amp;Quitar</translation>
    </message>
    <message>
        <source>&amp;Load…</source>
        <translation>&amp;Cargar…</translation>
    </message>
    <message>
        <source>&amp;Save…</source>
        <translation>&amp;Guardar…</translation>
    </message>
    <message>
        <source>Replace the list with the policies of a policy file (docs/ROUTING.md).</source>
        <translation>Sustituir la lista por las políticas de un archivo de políticas (docs/ROUTING.md).</translation>
    </message>
    <message>
        <source>Selected policy</source>
        <translation>Política seleccionada</translation>
    </message>
    <message>
        <source>A&amp;pply</source>
        <translation>A&amp;plicar</translation>
    </message>
    <message>
        <source>Comparison: every row replayed over the same recorded cells</source>
        <translation>Comparación: cada fila se reproduce sobre las mismas celdas registradas</translation>
    </message>
    <message>
        <source>Search the lineup</source>
        <translation>Buscar en la selección</translation>
    </message>
    <message>
        <source>&amp;Find</source>
        <translation>&amp;Buscar</translation>
    </message>
    <message>
        <source>F&amp;ind</source>
        <translation>B&amp;uscar</translation>
    </message>
    <message>
        <source>Cheapest policy with quality at least</source>
        <translation>Política más barata con una calidad de al menos</translation>
    </message>
    <message>
        <source>Best quality at a cost per 1,000 cases of at most</source>
        <translation>Mejor calidad con un coste por 1000 casos de como mucho</translation>
    </message>
    <message>
        <source>Missing for the selected row</source>
        <translation>Faltantes de la fila seleccionada</translation>
    </message>
    <message>
        <source>Replaying %1: %2 on %3 target(s), %4 recorded cell(s). Nothing is sent.</source>
        <translation>Reproduciendo %1: %2 en %3 objetivo(s), %4 celda(s) registrada(s). No se envía nada.</translation>
    </message>
    <message>
        <source>Select a row of the table.</source>
        <translation>Seleccione una fila de la tabla.</translation>
    </message>
    <message>
        <source>%1: nothing missing; every replay is complete.</source>
        <translation>%1: no falta nada; todas las reproducciones están completas.</translation>
    </message>
    <message>
        <source>policy</source>
        <translation>política</translation>
    </message>
    <message>
        <source>cascade</source>
        <translation>cascada</translation>
    </message>
    <message>
        <source>by tag</source>
        <translation>por etiqueta</translation>
    </message>
    <message>
        <source>best of N</source>
        <translation>mejor de N</translation>
    </message>
    <message>
        <source>Added &quot;%1&quot;: edit it and press Apply.</source>
        <translation>Se añadió &quot;%1&quot;: edítela y pulse Aplicar.</translation>
    </message>
    <message>
        <source>Another policy is already called &quot;%1&quot;.</source>
        <translation>Ya hay otra política llamada &quot;%1&quot;.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; replayed.</source>
        <translation>&quot;%1&quot; reproducida.</translation>
    </message>
    <message>
        <source>Cannot load the policies: %1</source>
        <translation>No se pueden cargar las políticas: %1</translation>
    </message>
    <message>
        <source>Cannot save the policies: %1</source>
        <translation>No se pueden guardar las políticas: %1</translation>
    </message>
    <message>
        <source>Load Routing Policies</source>
        <translation>Cargar políticas de enrutamiento</translation>
    </message>
    <message>
        <source>Routing policies (*.json);;All files (*)</source>
        <translation>Políticas de enrutamiento (*.json);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Save Routing Policies</source>
        <translation>Guardar políticas de enrutamiento</translation>
    </message>
    <message>
        <source>Routing policies (*.json)</source>
        <translation>Políticas de enrutamiento (*.json)</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Buscando…</translation>
    </message>
    <message>
        <source>The run changed during the search: ask again.</source>
        <translation>La ejecución cambió durante la búsqueda: vuelva a preguntar.</translation>
    </message>
    <message>
        <source>None of the %1 policies considered meets it (with a known cost and quality).</source>
        <translation>Ninguna de las %1 políticas consideradas lo cumple (con coste y calidad conocidos).</translation>
    </message>
    <message>
        <source>Answer, out of %1 policies: &quot;%2&quot; (selected in the list and the table).</source>
        <translation>Respuesta entre %1 políticas: &quot;%2&quot; (seleccionada en la lista y la tabla).</translation>
    </message>
    <message numerus="yes">
        <source>Loaded %n policy(ies) from %1.</source>
        <translation>
            <numerusform>Se cargó %n política de %1.</numerusform>
            <numerusform>Se cargaron %n políticas de %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saved %n policy(ies) to %1.</source>
        <translation>
            <numerusform>Se guardó %n política en %1.</numerusform>
            <numerusform>Se guardaron %n políticas en %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Fetch What Is Missing…</source>
        <translation>&amp;Recuperar lo que falta…</translation>
    </message>
    <message>
        <source>Send only the answers and validator verdicts the policies&apos; replays lack, and record them into this run</source>
        <translation>Enviar solo las respuestas y los veredictos del validador que les faltan a las repeticiones de las políticas, y guardarlos en esta ejecución</translation>
    </message>
    <message>
        <source>No replay lacks anything that can be fetched.</source>
        <translation>A ninguna repetición le falta nada que se pueda recuperar.</translation>
    </message>
    <message>
        <source>They are recorded into this run, which keeps everything it already has.</source>
        <translation>Se guardan en esta ejecución, que conserva todo lo que ya tiene.</translation>
    </message>
    <message>
        <source>Fetch What Is Missing</source>
        <translation>Recuperar lo que falta</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Enviar</translation>
    </message>
    <message>
        <source>pick     case %1, repeat %2: %3 over %4</source>
        <translation>elección caso %1, repetición %2: %3 entre %4</translation>
    </message>
    <message numerus="yes">
        <source>Send %n answer request(s),</source>
        <translation>
            <numerusform>Enviar %n solicitud de respuesta,</numerusform>
            <numerusform>Enviar %n solicitudes de respuesta,</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>ask for %n validator verdict(s)</source>
        <translation>
            <numerusform>pedir %n veredicto del validador</numerusform>
            <numerusform>pedir %n veredictos del validador</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>and %n best-of-N pick(s)?</source>
        <translation>
            <numerusform>y %n elección best-of-N?</numerusform>
            <numerusform>y %n elecciones best-of-N?</numerusform>
        </translation>
    </message>
    <message>
        <source>A pick asks the judge twice, the answers&apos; positions swapped.</source>
        <translation>Una elección pregunta al juez dos veces, con las posiciones de las respuestas intercambiadas.</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) cannot be fetched: answers of targets the run did not compare.</source>
        <translation>
            <numerusform>No se puede obtener %n elemento: respuestas de destinos que la ejecución no comparó.</numerusform>
            <numerusform>No se pueden obtener %n elementos: respuestas de destinos que la ejecución no comparó.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2 answer(s) and %3 verdict(s) or pick(s) missing; %4 replay(s) left out.</source>
        <translation>%1: faltan %2 respuesta(s) y %3 veredicto(s) o elección(es); %4 repetición(es) omitida(s).</translation>
    </message>
</context>
<context>
    <name>Slopscope::RoutingPolicyEditor</name>
    <message>
        <source>Cascade: draft, validate, escalate</source>
        <translation>Cascada: borrador, validación, escalado</translation>
    </message>
    <message>
        <source>By tag: route by the case&apos;s tags</source>
        <translation>Por etiqueta: enrutar según las etiquetas del caso</translation>
    </message>
    <message>
        <source>Best of N: a judge picks one answer</source>
        <translation>Mejor de N: un juez elige una respuesta</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>&amp;Nombre</translation>
    </message>
    <message>
        <source>&amp;Description</source>
        <translation>&amp;Descripción</translation>
    </message>
    <message>
        <source>&amp;Kind</source>
        <translation>&amp;Tipo</translation>
    </message>
    <message>
        <source>Target answers</source>
        <translation>Objetivo que responde</translation>
    </message>
    <message>
        <source>Validator</source>
        <translation>Validador</translation>
    </message>
    <message>
        <source>Keep at score ≥</source>
        <translation>Conservar con puntuación ≥</translation>
    </message>
    <message>
        <source>Each stage&apos;s answer is kept when its validator&apos;s score reaches the threshold; otherwise the next stage answers. The oracle reads the answer&apos;s own recorded grade: free, and an upper bound on a real validator.</source>
        <translation>La respuesta de cada etapa se conserva cuando la puntuación de su validador alcanza el umbral; si no, responde la etapa siguiente. El oráculo lee la calificación registrada de la propia respuesta: gratuito, y una cota superior de un validador real.</translation>
    </message>
    <message>
        <source>Add Stage</source>
        <translation>Añadir etapa</translation>
    </message>
    <message>
        <source>Remove Stage</source>
        <translation>Quitar etapa</translation>
    </message>
    <message>
        <source>Cases tagged</source>
        <translation>Casos con la etiqueta</translation>
    </message>
    <message>
        <source>go to</source>
        <translation>van a</translation>
    </message>
    <message>
        <source>Add Rule</source>
        <translation>Añadir regla</translation>
    </message>
    <message>
        <source>Remove Rule</source>
        <translation>Quitar regla</translation>
    </message>
    <message>
        <source>All other cases go to</source>
        <translation>Todos los demás casos van a</translation>
    </message>
    <message>
        <source>Candidates (all answer; check two or more):</source>
        <translation>Candidatos (todos responden; marque dos o más):</translation>
    </message>
    <message>
        <source>Judge picks one</source>
        <translation>El juez elige una</translation>
    </message>
    <message>
        <source>%1 (not in this run)</source>
        <translation>%1 (no está en esta ejecución)</translation>
    </message>
    <message>
        <source>oracle (the answer&apos;s own grade)</source>
        <translation>oráculo (la calificación de la propia respuesta)</translation>
    </message>
    <message>
        <source>%1 (recorded verdicts)</source>
        <translation>%1 (veredictos registrados)</translation>
    </message>
    <message>
        <source>%1 (no verdicts recorded)</source>
        <translation>%1 (sin veredictos registrados)</translation>
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
        <translation>El objetivo %1 no estaba en esta ejecución.</translation>
    </message>
    <message>
        <source>Significantly worse than the first run: the 95% intervals do not overlap.</source>
        <translation>Significativamente peor que la primera ejecución: los intervalos del 95% no se solapan.</translation>
    </message>
    <message>
        <source>Significantly better than the first run: the 95% intervals do not overlap.</source>
        <translation>Significativamente mejor que la primera ejecución: los intervalos del 95% no se solapan.</translation>
    </message>
    <message>
        <source>Not significant: the 95% intervals overlap, so the change may be noise.</source>
        <translation>No significativo: los intervalos del 95% se solapan, así que el cambio puede ser ruido.</translation>
    </message>
    <message numerus="yes">
        <source>Mean score over %n case(s); the range is a 95% bootstrap interval.</source>
        <translation>
            <numerusform>Puntuación media sobre %n caso; el rango es un intervalo bootstrap del 95%.</numerusform>
            <numerusform>Puntuación media sobre %n casos; el rango es un intervalo bootstrap del 95%.</numerusform>
        </translation>
    </message>
    <message>
        <source>The provider reported %1 here but %2 in the run before: the model may have been swapped without notice.</source>
        <translation>El proveedor informó %1 aquí pero %2 en la ejecución anterior: puede que el modelo se haya cambiado sin aviso.</translation>
    </message>
    <message>
        <source>The model the provider reported; configured: %1</source>
        <translation>El modelo que informó el proveedor; configurado: %1</translation>
    </message>
    <message>
        <source>Mean cost of one case.</source>
        <translation>Coste medio de un caso.</translation>
    </message>
    <message numerus="yes">
        <source>Unknown: %n answer(s) had no known price.</source>
        <translation>
            <numerusform>Desconocido: %n respuesta no tenía precio conocido.</numerusform>
            <numerusform>Desconocido: %n respuestas no tenían precio conocido.</numerusform>
        </translation>
    </message>
    <message>
        <source>Answers that did not complete, of those recorded.</source>
        <translation>Respuestas que no se completaron, de las registradas.</translation>
    </message>
    <message>
        <source>Target %1: the reported model changed between these runs.</source>
        <translation>Objetivo %1: el modelo informado cambió entre estas ejecuciones.</translation>
    </message>
    <message>
        <source>Target %1</source>
        <translation>Objetivo %1</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Objetivo</translation>
    </message>
    <message>
        <source>Run %1 of %2, the baseline the others are compared with.</source>
        <translation>Ejecución %1 de %2, la referencia con la que se comparan las demás.</translation>
    </message>
    <message>
        <source>Run %1 of %2</source>
        <translation>Ejecución %1 de %2</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>Calidad</translation>
    </message>
    <message>
        <source>TTFT</source>
        <translation>TTFT</translation>
    </message>
    <message>
        <source>Decode</source>
        <translation>Decodificación</translation>
    </message>
    <message>
        <source>Cost/case</source>
        <translation>Coste/caso</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fallidas</translation>
    </message>
    <message>
        <source>Reported model</source>
        <translation>Modelo informado</translation>
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
        <translation>%1 (referencia)</translation>
    </message>
</context>
<context>
    <name>Slopscope::RunComparisonView</name>
    <message>
        <source>Compare Runs</source>
        <translation>Comparar ejecuciones</translation>
    </message>
    <message>
        <source>Each run against the oldest one. Bold ▼/▲ on a tint: a significant change (the 95% intervals do not overlap); ≈: within the noise. ⚠: the provider reported another model than in the run before, a sign of a silent model swap. —: unknown.</source>
        <translation>Cada ejecución frente a la más antigua. ▼/▲ en negrita sobre fondo de color: un cambio significativo (los intervalos del 95% no se solapan); ≈: dentro del ruido. ⚠: el proveedor informó un modelo distinto al de la ejecución anterior, señal de un cambio silencioso de modelo. —: desconocido.</translation>
    </message>
    <message>
        <source>Targets across the compared runs</source>
        <translation>Objetivos en las ejecuciones comparadas</translation>
    </message>
    <message>
        <source>Show &amp;Drift…</source>
        <translation>Mostrar &amp;deriva…</translation>
    </message>
    <message>
        <source>The selected target across every recorded run (Enter)</source>
        <translation>El objetivo seleccionado en todas las ejecuciones registradas (Intro)</translation>
    </message>
    <message>
        <source>No run %1 in the history.</source>
        <translation>No hay ninguna ejecución %1 en el historial.</translation>
    </message>
    <message>
        <source>Reading the history…</source>
        <translation>Leyendo el historial…</translation>
    </message>
    <message>
        <source>Cannot compare the runs: %1</source>
        <translation>No se pueden comparar las ejecuciones: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) compared, %1.</source>
        <translation>
            <numerusform>%n ejecución comparada, %1.</numerusform>
            <numerusform>%n ejecuciones comparadas, %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n target(s)</source>
        <translation>
            <numerusform>%n objetivo</numerusform>
            <numerusform>%n objetivos</numerusform>
        </translation>
    </message>
    <message>
        <source>fewer than two suite runs are selected (quick-compare exchanges are not compared).</source>
        <translation>hay menos de dos ejecuciones de suite seleccionadas (los intercambios de comparación rápida no se comparan).</translation>
    </message>
</context>
<context>
    <name>Slopscope::RunListModel</name>
    <message>
        <source>running</source>
        <translation>en curso</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>completada</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>cancelado</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>interrumpida</translation>
    </message>
    <message numerus="yes">
        <source>%n result(s) without a known price are not counted.</source>
        <translation>
            <numerusform>No se cuenta %n resultado sin precio conocido.</numerusform>
            <numerusform>No se cuentan %n resultados sin precio conocido.</numerusform>
        </translation>
    </message>
    <message>
        <source>Run %1</source>
        <translation>Ejecución %1</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 de %2</translation>
    </message>
    <message>
        <source>$%1</source>
        <translation>$%1</translation>
    </message>
    <message>
        <source>%1 (resumed)</source>
        <translation>%1 (reanudada)</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Inicio</translation>
    </message>
    <message>
        <source>Suite</source>
        <translation>Suite</translation>
    </message>
    <message>
        <source>Targets</source>
        <translation>Objetivos</translation>
    </message>
    <message>
        <source>Answers</source>
        <translation>Respuestas</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Coste</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Quick compare</source>
        <translation>Comparación rápida</translation>
    </message>
    <message numerus="yes">
        <source>%1 (one prompt sent to %n target(s)): %2</source>
        <translation>
            <numerusform>%1 (un prompt enviado a %n objetivo): %2</numerusform>
            <numerusform>%1 (un prompt enviado a %n objetivos): %2</numerusform>
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
            <numerusform>Disco lleno: %n resultado pendiente de guardar</numerusform>
            <numerusform>Disco lleno: %n resultados pendientes de guardar</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saving is behind: %n result(s) waiting to be saved</source>
        <translation>
            <numerusform>Guardado con retraso: %n resultado pendiente de guardar</numerusform>
            <numerusform>Guardado con retraso: %n resultados pendientes de guardar</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Slopscope::RunScheduler</name>
    <message>
        <source>A run is already going</source>
        <translation>Ya hay una ejecución en curso</translation>
    </message>
    <message>
        <source>Job %1 names the unknown provider &quot;%2&quot;</source>
        <translation>La tarea %1 indica el proveedor desconocido &quot;%2&quot;</translation>
    </message>
    <message>
        <source>Job ids must be unique and not empty (&quot;%1&quot;)</source>
        <translation>Los id de las tareas deben ser únicos y no estar vacíos (&quot;%1&quot;)</translation>
    </message>
    <message>
        <source>No run is going to add jobs to</source>
        <translation>No hay ninguna ejecución en curso a la que añadir tareas</translation>
    </message>
    <message>
        <source>rate limit used up (provider headers)</source>
        <translation>límite de frecuencia agotado (cabeceras del proveedor)</translation>
    </message>
    <message>
        <source>resuming in %1</source>
        <translation>se reanuda en %1</translation>
    </message>
    <message>
        <source>rate-limited, %1</source>
        <translation>limitado por frecuencia, %1</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message numerus="yes">
        <source>(gave up after %n attempt(s))</source>
        <translation>
            <numerusform>(se abandonó tras %n intento)</numerusform>
            <numerusform>(se abandonó tras %n intentos)</numerusform>
        </translation>
    </message>
    <message>
        <source>Not sent: provider %1 stopped after an error no retry can fix: %2</source>
        <translation>No enviado: el proveedor %1 se detuvo tras un error que ningún reintento puede solucionar: %2</translation>
    </message>
    <message numerus="yes">
        <source>too many failures: %n retries in the last %1</source>
        <translation>
            <numerusform>demasiados fallos: %n reintento en los últimos %1</numerusform>
            <numerusform>demasiados fallos: %n reintentos en los últimos %1</numerusform>
        </translation>
    </message>
    <message>
        <source>offline — waiting for the network</source>
        <translation>sin conexión — esperando la red</translation>
    </message>
    <message>
        <source>rate-limited</source>
        <translation>limitado por tasa</translation>
    </message>
</context>
<context>
    <name>Slopscope::RunSession</name>
    <message>
        <source>The workspace has no target &quot;%1&quot;.</source>
        <translation>El espacio de trabajo no tiene ningún objetivo &quot;%1&quot;.</translation>
    </message>
    <message>
        <source>No target is selected.</source>
        <translation>No hay ningún objetivo seleccionado.</translation>
    </message>
    <message>
        <source>The suite has no case to run.</source>
        <translation>La batería no tiene ningún caso que ejecutar.</translation>
    </message>
    <message>
        <source>Repeats must be at least 1.</source>
        <translation>Las repeticiones deben ser al menos 1.</translation>
    </message>
    <message>
        <source>A run is already going.</source>
        <translation>Ya hay una ejecución en curso.</translation>
    </message>
    <message>
        <source>Every cell of this run is already answered; there is nothing to resume.</source>
        <translation>Todas las celdas de esta ejecución ya tienen respuesta; no hay nada que reanudar.</translation>
    </message>
    <message>
        <source>The workspace has no target &quot;%1&quot; to be the judge.</source>
        <translation>El espacio de trabajo no tiene ningún objetivo &quot;%1&quot; que pueda actuar como juez.</translation>
    </message>
    <message>
        <source>The judge &quot;%1&quot; names the unknown provider &quot;%2&quot;.</source>
        <translation>El juez &quot;%1&quot; indica el proveedor desconocido &quot;%2&quot;.</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>cancelado</translation>
    </message>
    <message>
        <source>spend cap of $%1 reached</source>
        <translation>se alcanzó el límite de gasto de $%1</translation>
    </message>
    <message>
        <source>the run ended before the judge answered</source>
        <translation>la ejecución terminó antes de que respondiera el juez</translation>
    </message>
    <message>
        <source>no judge</source>
        <translation>sin juez</translation>
    </message>
    <message>
        <source>waiting for the other targets&apos; answers</source>
        <translation>esperando las respuestas de los demás objetivos</translation>
    </message>
    <message>
        <source>llm-rubric needs a rubric (the assertion&apos;s value)</source>
        <translation>llm-rubric necesita una rúbrica (el valor de la aserción)</translation>
    </message>
    <message>
        <source>factuality needs a reference (the assertion&apos;s value or the case&apos;s reference)</source>
        <translation>factuality necesita una referencia (el valor de la aserción o la referencia del caso)</translation>
    </message>
    <message>
        <source>waiting for the judge</source>
        <translation>esperando al juez</translation>
    </message>
    <message>
        <source>the run stopped before the judge was asked</source>
        <translation>la ejecución se detuvo antes de consultar al juez</translation>
    </message>
    <message>
        <source>select-best needs at least two answers</source>
        <translation>select-best necesita al menos dos respuestas</translation>
    </message>
    <message>
        <source>the judge call was cancelled</source>
        <translation>se canceló la llamada al juez</translation>
    </message>
    <message>
        <source>the judge request failed: %1</source>
        <translation>falló la solicitud al juez: %1</translation>
    </message>
    <message>
        <source>no complete answer</source>
        <translation>ninguna respuesta completa</translation>
    </message>
    <message>
        <source>%1 was picked: %2</source>
        <translation>se eligió %1: %2</translation>
    </message>
    <message>
        <source>first ask picked %1, swapped ask picked %2</source>
        <translation>la primera consulta eligió %1 y la consulta intercambiada eligió %2</translation>
    </message>
    <message>
        <source>The workspace has no usable target &quot;%1&quot; to be the validator.</source>
        <translation>El espacio de trabajo no tiene ningún destino utilizable «%1» que pueda validar.</translation>
    </message>
    <message>
        <source>%1: no complete answer is recorded to judge</source>
        <translation>%1: no hay ninguna respuesta completa guardada que juzgar</translation>
    </message>
    <message>
        <source>%1: the case has no rubric and no reference to judge the answer against</source>
        <translation>%1: el caso no tiene rúbrica ni referencia con la que juzgar la respuesta</translation>
    </message>
    <message>
        <source>%1: nothing the validator could be asked</source>
        <translation>%1: nada que se le pueda preguntar al validador</translation>
    </message>
    <message>
        <source>The workspace has no usable target &quot;%1&quot; to be the judge.</source>
        <translation>El espacio de trabajo no tiene un destino utilizable «%1» que sea el juez.</translation>
    </message>
    <message>
        <source>the answers to compare are gone</source>
        <translation>las respuestas que comparar ya no están</translation>
    </message>
    <message>
        <source>%1: no complete answers to one case are recorded to compare</source>
        <translation>%1: no hay respuestas completas a un mismo caso guardadas que comparar</translation>
    </message>
    <message>
        <source>the run ended before the code tests ran</source>
        <translation>la ejecución terminó antes de que se ejecutaran las pruebas de código</translation>
    </message>
    <message>
        <source>not: %1</source>
        <translation>no: %1</translation>
    </message>
    <message>
        <source>no code block in the answer</source>
        <translation>no hay bloque de código en la respuesta</translation>
    </message>
    <message>
        <source>the run stopped before the code tests ran</source>
        <translation>la ejecución se detuvo antes de que se ejecutaran las pruebas de código</translation>
    </message>
    <message>
        <source>waiting for the code tests</source>
        <translation>esperando las pruebas de código</translation>
    </message>
    <message>
        <source>the run was cancelled before the code tests finished</source>
        <translation>la ejecución se canceló antes de que terminaran las pruebas de código</translation>
    </message>
    <message>
        <source>not compared: %1, whose chain did not answer turn %2</source>
        <translation>no comparado: %1, cuya cadena no respondió al turno %2</translation>
    </message>
</context>
<context>
    <name>Slopscope::SessionKeyStore</name>
    <message>
        <source>this session only</source>
        <translation>solo esta sesión</translation>
    </message>
</context>
<context>
    <name>Slopscope::SettingsDialog</name>
    <message>
        <source>Preferences</source>
        <translation>Configuración</translation>
    </message>
    <message>
        <source>&amp;Keys</source>
        <translation>&amp;Claves</translation>
    </message>
    <message>
        <source>&amp;Appearance</source>
        <translation>&amp;Apariencia</translation>
    </message>
    <message>
        <source>&amp;Providers</source>
        <translation>&amp;Proveedores</translation>
    </message>
</context>
<context>
    <name>Slopscope::SingleInstance</name>
    <message>
        <source>Cannot write the instance lock %1: permission denied</source>
        <translation>No se puede escribir el bloqueo de instancia %1: permiso denegado</translation>
    </message>
    <message>
        <source>Cannot write the instance lock %1</source>
        <translation>No se puede escribir el bloqueo de instancia %1</translation>
    </message>
</context>
<context>
    <name>Slopscope::StoreWriter</name>
    <message>
        <source>The history file %1 does not exist; open it with HistoryStore first.</source>
        <translation>El archivo de historial %1 no existe; ábralo primero con HistoryStore.</translation>
    </message>
    <message>
        <source>Cannot open %1 for writing: %2</source>
        <translation>No se puede abrir %1 para escribir: %2</translation>
    </message>
    <message>
        <source>Cannot prepare %1 for writing: %2</source>
        <translation>No se puede preparar %1 para escribir: %2</translation>
    </message>
    <message>
        <source>%1 has history schema %2, but this version of Slopscope writes schema %3.</source>
        <translation>%1 tiene el esquema de historial %2, pero esta versión de Slopscope escribe el esquema %3.</translation>
    </message>
    <message numerus="yes">
        <source>%n operation(s) could not be saved to %1 before closing.</source>
        <translation>
            <numerusform>No se pudo guardar %n operación en %1 antes de cerrar.</numerusform>
            <numerusform>No se pudieron guardar %n operaciones en %1 antes de cerrar.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The history file %1 is locked by another program; waiting to save %n result(s).</source>
        <translation>
            <numerusform>El archivo de historial %1 está bloqueado por otro programa; %n resultado espera a guardarse.</numerusform>
            <numerusform>El archivo de historial %1 está bloqueado por otro programa; %n resultados esperan a guardarse.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The disk holding %1 is full (or the history reached its size limit). %n finished result(s) are kept in memory and saving is retried; free some space.</source>
        <translation>
            <numerusform>El disco que contiene %1 está lleno (o el historial alcanzó su límite de tamaño). %n resultado terminado se conserva en memoria y se reintenta guardarlo; libere espacio.</numerusform>
            <numerusform>El disco que contiene %1 está lleno (o el historial alcanzó su límite de tamaño). %n resultados terminados se conservan en memoria y se reintenta guardarlos; libere espacio.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 has become read-only; %n result(s) are kept in memory and saving is retried.</source>
        <translation>
            <numerusform>%1 ha pasado a ser de solo lectura; %n resultado se conserva en memoria y se reintenta guardarlo.</numerusform>
            <numerusform>%1 ha pasado a ser de solo lectura; %n resultados se conservan en memoria y se reintenta guardarlos.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saving to %1 failed (%2); %n result(s) are kept in memory and saving is retried.</source>
        <translation>
            <numerusform>Falló el guardado en %1 (%2); %n resultado se conserva en memoria y se reintenta guardarlo.</numerusform>
            <numerusform>Falló el guardado en %1 (%2); %n resultados se conservan en memoria y se reintenta guardarlos.</numerusform>
        </translation>
    </message>
    <message>
        <source>An entry could not be saved to %1 and was dropped: %2</source>
        <translation>No se pudo guardar una entrada en %1 y se descartó: %2</translation>
    </message>
    <message>
        <source>no run %1 in the history</source>
        <translation>no hay ninguna ejecución %1 en el historial</translation>
    </message>
</context>
<context>
    <name>Slopscope::StreamHandler</name>
    <message>
        <source>response exceeded %1</source>
        <translation>la respuesta superó %1</translation>
    </message>
    <message numerus="yes">
        <source>connection lost after %n content event(s): %1</source>
        <translation>
            <numerusform>conexión perdida tras %n evento de contenido: %1</numerusform>
            <numerusform>conexión perdida tras %n eventos de contenido: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 redirected the request (HTTP %2) to %3; redirects are not followed, so the key is not sent elsewhere. Check the provider&apos;s base URL</source>
        <translation>%1 redirigió la solicitud (HTTP %2) a %3; las redirecciones no se siguen, para que la clave no se envíe a otro sitio. Compruebe la URL base del proveedor</translation>
    </message>
    <message>
        <source>an unnamed location</source>
        <translation>una ubicación sin nombre</translation>
    </message>
    <message>
        <source>%1 sent no HTTP response</source>
        <translation>%1 no envió ninguna respuesta HTTP</translation>
    </message>
    <message>
        <source>No decoder for %1 responses</source>
        <translation>No hay decodificador para las respuestas de %1</translation>
    </message>
    <message>
        <source>HTTP %1</source>
        <translation>HTTP %1</translation>
    </message>
    <message>
        <source>%1 from %2</source>
        <translation>%1 de %2</translation>
    </message>
    <message>
        <source>%1 from %2: %3</source>
        <translation>%1 de %2: %3</translation>
    </message>
    <message numerus="yes">
        <source>the provider reported an error after %n content event(s): %1</source>
        <translation>
            <numerusform>el proveedor informó de un error tras %n evento de contenido: %1</numerusform>
            <numerusform>el proveedor informó de un error tras %n eventos de contenido: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>the provider reported an error: %1</source>
        <translation>el proveedor informó de un error: %1</translation>
    </message>
    <message>
        <source>the provider stopped early (%1)</source>
        <translation>el proveedor se detuvo antes de tiempo (%1)</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>no se indicó ningún motivo</translation>
    </message>
    <message numerus="yes">
        <source>stream ended without its end marker after %n content event(s)</source>
        <translation>
            <numerusform>el flujo terminó sin su marca de fin tras %n evento de contenido</numerusform>
            <numerusform>el flujo terminó sin su marca de fin tras %n eventos de contenido</numerusform>
        </translation>
    </message>
    <message>
        <source>stream ended without any content or end marker</source>
        <translation>el flujo terminó sin ningún contenido ni marca de fin</translation>
    </message>
    <message>
        <source>%1 sent a response that could not be read: %2</source>
        <translation>%1 envió una respuesta que no se pudo leer: %2</translation>
    </message>
</context>
<context>
    <name>Slopscope::StreamPane</name>
    <message>
        <source>idle</source>
        <translation>inactivo</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>en cola</translation>
    </message>
    <message>
        <source>waiting for first token</source>
        <translation>esperando el primer token</translation>
    </message>
    <message>
        <source>streaming</source>
        <translation>transmitiendo</translation>
    </message>
    <message>
        <source>retrying</source>
        <translation>reintentando</translation>
    </message>
    <message>
        <source>done</source>
        <translation>terminado</translation>
    </message>
    <message>
        <source>truncated</source>
        <translation>truncado</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fallido</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>cancelado</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>desconocido</translation>
    </message>
    <message>
        <source>TTFT %1 ms · %2 tok/s · %3 tokens · cost %4</source>
        <translation>TTFT %1 ms · %2 tok/s · %3 tokens · coste %4</translation>
    </message>
    <message>
        <source>Tokens per second estimated from characters: the provider reported no usage.</source>
        <translation>Tokens por segundo estimados a partir de los caracteres: el proveedor no informó del uso.</translation>
    </message>
    <message numerus="yes">
        <source>Reasoning (%n character(s))</source>
        <translation>
            <numerusform>Razonamiento (%n carácter)</numerusform>
            <numerusform>Razonamiento (%n caracteres)</numerusform>
        </translation>
    </message>
    <message>
        <source>Chain so far</source>
        <translation>Cadena hasta ahora</translation>
    </message>
    <message>
        <source>%1 · answering…</source>
        <translation>%1 · respondiendo…</translation>
    </message>
</context>
<context>
    <name>Slopscope::StreamPaneGrid</name>
    <message>
        <source>No case running.</source>
        <translation>No se está ejecutando ningún caso.</translation>
    </message>
</context>
<context>
    <name>Slopscope::SuiteCaseModel</name>
    <message>
        <source>(no id)</source>
        <translation>(sin id)</translation>
    </message>
    <message>
        <source>The suite has no cases.</source>
        <translation>La suite no tiene casos.</translation>
    </message>
    <message>
        <source>The suite has no name.</source>
        <translation>La suite no tiene nombre.</translation>
    </message>
    <message>
        <source>Case %1 (%2): %3</source>
        <translation>Caso %1 (%2): %3</translation>
    </message>
    <message>
        <source>the id is empty</source>
        <translation>el id está vacío</translation>
    </message>
    <message>
        <source>duplicate case id &quot;%1&quot;</source>
        <translation>id de caso duplicado &quot;%1&quot;</translation>
    </message>
</context>
<context>
    <name>Slopscope::SuiteDefaultsForm</name>
    <message>
        <source>Every case of the suite starts from these.</source>
        <translation>Todos los casos de la suite parten de estos valores.</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>Prompt de sistema</translation>
    </message>
    <message>
        <source>Sent first with every case; {{name}} is filled from the case&apos;s variables.</source>
        <translation>Se envía primero con cada caso; {{name}} se rellena a partir de las variables del caso.</translation>
    </message>
    <message>
        <source>&amp;System prompt</source>
        <translation>Prompt de &amp;sistema</translation>
    </message>
    <message>
        <source>Params</source>
        <translation>Parámetros</translation>
    </message>
    <message>
        <source>Request parameters for every case, e.g. {&quot;temperature&quot;: 0}</source>
        <translation>Parámetros de solicitud para todos los casos, p. ej. {&quot;temperature&quot;: 0}</translation>
    </message>
    <message>
        <source>&amp;Params</source>
        <translation>&amp;Parámetros</translation>
    </message>
    <message>
        <source>default params</source>
        <translation>parámetros predeterminados</translation>
    </message>
    <message>
        <source>Default assertions</source>
        <translation>Aserciones predeterminadas</translation>
    </message>
    <message>
        <source>Default asse&amp;rtions</source>
        <translation>Ase&amp;rciones predeterminadas</translation>
    </message>
    <message>
        <source>default assertions</source>
        <translation>aserciones predeterminadas</translation>
    </message>
    <message>
        <source>Default time budget</source>
        <translation>Presupuesto de tiempo predeterminado</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>none</source>
        <translation>ninguno</translation>
    </message>
    <message>
        <source>The time budget of every case without its own; 0 for none</source>
        <translation>El presupuesto de tiempo de todos los casos que no tengan uno propio; 0 para ninguno</translation>
    </message>
    <message>
        <source>Default time &amp;budget</source>
        <translation>Presupuesto de &amp;tiempo predeterminado</translation>
    </message>
    <message>
        <source>default time budget</source>
        <translation>presupuesto de tiempo predeterminado</translation>
    </message>
    <message>
        <source>Default assertions: %1</source>
        <translation>Aserciones predeterminadas: %1</translation>
    </message>
    <message>
        <source>Change %1</source>
        <translation>Cambiar %1</translation>
    </message>
    <message>
        <source>default system prompt</source>
        <translation>prompt de sistema predeterminado</translation>
    </message>
    <message>
        <source>Suite description</source>
        <translation>Descripción de la suite</translation>
    </message>
    <message>
        <source>What the suite measures, for whoever runs it next.</source>
        <translation>Qué mide la suite, para quien la ejecute después.</translation>
    </message>
    <message>
        <source>&amp;Description</source>
        <translation>&amp;Descripción</translation>
    </message>
    <message>
        <source>suite description</source>
        <translation>descripción de la suite</translation>
    </message>
</context>
<context>
    <name>Slopscope::SuiteEditor</name>
    <message>
        <source>Suite name</source>
        <translation>Nombre de la suite</translation>
    </message>
    <message>
        <source>Rename suite</source>
        <translation>Cambiar el nombre de la suite</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>Casos</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>&amp;Añadir</translation>
    </message>
    <message>
        <source>Add a case after the selected one</source>
        <translation>Añadir un caso después del seleccionado</translation>
    </message>
    <message>
        <source>D&amp;uplicate</source>
        <translation>D&amp;uplicar</translation>
    </message>
    <message>
        <source>Duplicate the selected case</source>
        <translation>Duplicar el caso seleccionado</translation>
    </message>
    <message>
        <source>Remo&amp;ve</source>
        <translation>&amp;Quitar</translation>
    </message>
    <message>
        <source>Remove the selected case</source>
        <translation>Quitar el caso seleccionado</translation>
    </message>
    <message>
        <source>▲</source>
        <translation>▲</translation>
    </message>
    <message>
        <source>Move the case up</source>
        <translation>Subir el caso</translation>
    </message>
    <message>
        <source>▼</source>
        <translation>▼</translation>
    </message>
    <message>
        <source>Move the case down</source>
        <translation>Bajar el caso</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problema</translation>
    </message>
    <message>
        <source>Add case %1</source>
        <translation>Añadir caso %1</translation>
    </message>
    <message>
        <source>Duplicate case %1</source>
        <translation>Duplicar caso %1</translation>
    </message>
    <message>
        <source>Remove case %1</source>
        <translation>Quitar caso %1</translation>
    </message>
    <message>
        <source>Move case %1</source>
        <translation>Mover caso %1</translation>
    </message>
    <message>
        <source>Change case %1</source>
        <translation>Cambiar el caso %1</translation>
    </message>
    <message>
        <source>&amp;Case</source>
        <translation>&amp;Caso</translation>
    </message>
    <message>
        <source>Varia&amp;nts</source>
        <translation>Varia&amp;ntes</translation>
    </message>
    <message>
        <source>Suite de&amp;faults</source>
        <translation>&amp;Predeterminados de la suite</translation>
    </message>
    <message>
        <source>Varia&amp;nts (%1)</source>
        <translation>Varia&amp;ntes (%1)</translation>
    </message>
    <message>
        <source>Suite defaults: %1</source>
        <translation>Predeterminados de la suite: %1</translation>
    </message>
    <message>
        <source>Change the suite defaults</source>
        <translation>Cambiar los predeterminados de la suite</translation>
    </message>
</context>
<context>
    <name>Slopscope::TargetListWidget</name>
    <message>
        <source>price unknown</source>
        <translation>precio desconocido</translation>
    </message>
    <message>
        <source>$%1 / $%2 per Mtok</source>
        <translation>$%1 / $%2 por Mtok</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Objetivo</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>Proveedor</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <source>Price (in / out)</source>
        <translation>Precio (entrada / salida)</translation>
    </message>
</context>
<context>
    <name>Slopscope::TargetSettingsForm</name>
    <message>
        <source>Price (US$ per million tokens)</source>
        <translation>Precio (US$ por millón de tokens)</translation>
    </message>
    <message>
        <source>&amp;Input:</source>
        <translation>&amp;Entrada:</translation>
    </message>
    <message>
        <source>&amp;Output:</source>
        <translation>&amp;Salida:</translation>
    </message>
    <message>
        <source>&amp;Cached input:</source>
        <translation>Entrada en &amp;caché:</translation>
    </message>
    <message>
        <source>Cache &amp;write:</source>
        <translation>&amp;Escritura en caché:</translation>
    </message>
    <message>
        <source>Reaso&amp;ning:</source>
        <translation>Razo&amp;namiento:</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parámetros</translation>
    </message>
    <message>
        <source>provider default</source>
        <translation>predeterminado del proveedor</translation>
    </message>
    <message>
        <source>&amp;Temperature:</source>
        <translation>&amp;Temperatura:</translation>
    </message>
    <message>
        <source>&amp;Max tokens:</source>
        <translation>&amp;Máx. tokens:</translation>
    </message>
    <message>
        <source>&amp;Reasoning effort:</source>
        <translation>Esfuerzo de &amp;razonamiento:</translation>
    </message>
    <message>
        <source>Target %1 (%2 on %3)</source>
        <translation>Objetivo %1 (%2 en %3)</translation>
    </message>
    <message>
        <source>No price catalogue: an empty price is unknown.</source>
        <translation>Sin catálogo de precios: un precio vacío es desconocido.</translation>
    </message>
    <message>
        <source>“%1” is not in the price catalogue of %2: an empty price is unknown.</source>
        <translation>«%1» no está en el catálogo de precios de %2: un precio vacío es desconocido.</translation>
    </message>
    <message>
        <source>Empty fields take the price catalogue of %1 (%2), for short prompts; a value you enter overrides it.</source>
        <translation>Los campos vacíos toman el catálogo de precios de %1 (%2), para prompts cortos; un valor que introduzca lo sustituye.</translation>
    </message>
    <message>
        <source>Empty fields take the price catalogue of %1 (%2); a value you enter overrides it.</source>
        <translation>Los campos vacíos toman el catálogo de precios de %1 (%2); un valor que introduzca lo sustituye.</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>desconocido</translation>
    </message>
    <message>
        <source>%1.price: “%2” is not a number</source>
        <translation>%1.price: «%2» no es un número</translation>
    </message>
    <message>
        <source>%1.params.temperature: “%2” is not a number</source>
        <translation>%1.params.temperature: «%2» no es un número</translation>
    </message>
    <message>
        <source>overrides the catalogue (%1)</source>
        <translation>sustituye al catálogo (%1)</translation>
    </message>
    <message>
        <source>set here</source>
        <translation>definido aquí</translation>
    </message>
    <message>
        <source>from the catalogue</source>
        <translation>del catálogo</translation>
    </message>
</context>
<context>
    <name>Slopscope::VariantsEditor</name>
    <message>
        <source>Variant &amp;list</source>
        <translation>&amp;Lista de variantes</translation>
    </message>
    <message>
        <source>Variants</source>
        <translation>Variantes</translation>
    </message>
    <message>
        <source>A&amp;dd variant</source>
        <translation>Aña&amp;dir variante</translation>
    </message>
    <message>
        <source>Add a variant of the case, starting from its prompt</source>
        <translation>Añadir una variante del caso, partiendo de su prompt</translation>
    </message>
    <message>
        <source>Duplicate as &amp;paraphrase</source>
        <translation>Duplicar como &amp;paráfrasis</translation>
    </message>
    <message>
        <source>Copy the selected variant (or the case) as a paraphrase to reword</source>
        <translation>Copiar la variante seleccionada (o el caso) como paráfrasis para reformular</translation>
    </message>
    <message>
        <source>Remove varian&amp;t</source>
        <translation>Qui&amp;tar variante</translation>
    </message>
    <message>
        <source>Variant id</source>
        <translation>Id de la variante</translation>
    </message>
    <message>
        <source>&amp;Id</source>
        <translation>&amp;Id</translation>
    </message>
    <message>
        <source>id</source>
        <translation>id</translation>
    </message>
    <message>
        <source>Variant kind</source>
        <translation>Tipo de variante</translation>
    </message>
    <message>
        <source>How the variant differs from the case; any word, or empty</source>
        <translation>En qué se diferencia la variante del caso; cualquier palabra, o vacío</translation>
    </message>
    <message>
        <source>&amp;Kind</source>
        <translation>&amp;Tipo</translation>
    </message>
    <message>
        <source>kind</source>
        <translation>tipo</translation>
    </message>
    <message>
        <source>Variant prompt</source>
        <translation>Prompt de la variante</translation>
    </message>
    <message>
        <source>The same question, asked differently; {{name}} is filled from the variables.</source>
        <translation>La misma pregunta, formulada de otra manera; {{name}} se rellena a partir de las variables.</translation>
    </message>
    <message>
        <source>Variant messages</source>
        <translation>Mensajes de la variante</translation>
    </message>
    <message>
        <source>messages</source>
        <translation>mensajes</translation>
    </message>
    <message>
        <source>Pro&amp;mpt</source>
        <translation>Pro&amp;mpt</translation>
    </message>
    <message>
        <source>Variable overrides</source>
        <translation>Sustituciones de variables</translation>
    </message>
    <message>
        <source>Replace the case&apos;s variables of the same name for this variant</source>
        <translation>Sustituir las variables del caso con el mismo nombre para esta variante</translation>
    </message>
    <message>
        <source>Variable &amp;overrides</source>
        <translation>Sustituciones de &amp;variables</translation>
    </message>
    <message>
        <source>variable overrides</source>
        <translation>sustituciones de variables</translation>
    </message>
    <message>
        <source>Variant reference answer</source>
        <translation>Respuesta de referencia de la variante</translation>
    </message>
    <message>
        <source>Empty: the case&apos;s reference</source>
        <translation>Vacío: la referencia del caso</translation>
    </message>
    <message>
        <source>&amp;Reference</source>
        <translation>&amp;Referencia</translation>
    </message>
    <message>
        <source>Variant %1: %2</source>
        <translation>Variante %1: %2</translation>
    </message>
    <message>
        <source>Change %1 of variant %2 of case %3</source>
        <translation>Cambiar %1 de la variante %2 del caso %3</translation>
    </message>
    <message>
        <source>Add variant %1 to case %2</source>
        <translation>Añadir la variante %1 al caso %2</translation>
    </message>
    <message>
        <source>Duplicate %1 as paraphrase %2 in case %3</source>
        <translation>Duplicar %1 como paráfrasis %2 en el caso %3</translation>
    </message>
    <message>
        <source>Remove variant %1 from case %2</source>
        <translation>Quitar la variante %1 del caso %2</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>&amp;Messages</source>
        <translation>&amp;Mensajes</translation>
    </message>
    <message>
        <source>prompt</source>
        <translation>prompt</translation>
    </message>
    <message>
        <source>reference</source>
        <translation>referencia</translation>
    </message>
    <message>
        <source>O&amp;wn assertions instead of the case&apos;s</source>
        <translation>Aserciones pr&amp;opias en lugar de las del caso</translation>
    </message>
    <message>
        <source>Variant assertions</source>
        <translation>Aserciones de la variante</translation>
    </message>
    <message>
        <source>assertions</source>
        <translation>aserciones</translation>
    </message>
</context>
<context>
    <name>Slopscope::VarsEditor</name>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valor</translation>
    </message>
    <message>
        <source>Add variable</source>
        <translation>Añadir variable</translation>
    </message>
    <message>
        <source>Remove variable</source>
        <translation>Quitar variable</translation>
    </message>
    <message>
        <source>Variable %1 has a value but no name</source>
        <translation>La variable %1 tiene un valor pero no un nombre</translation>
    </message>
    <message>
        <source>The variable &quot;%1&quot; is named twice</source>
        <translation>La variable &quot;%1&quot; tiene un nombre repetido</translation>
    </message>
</context>
<context>
    <name>StoreBackups</name>
    <message>
        <source>Cannot copy %1 to %2: %3</source>
        <translation>No se puede copiar %1 en %2: %3</translation>
    </message>
    <message>
        <source>Cannot create the backup folder %1.</source>
        <translation>No se puede crear la carpeta de copias de seguridad %1.</translation>
    </message>
    <message>
        <source>Cannot finish the backup %1.</source>
        <translation>No se puede terminar la copia de seguridad %1.</translation>
    </message>
</context>
<context>
    <name>StoreSchema</name>
    <message>
        <source>Cannot read the schema version of %1: %2</source>
        <translation>No se puede leer la versión del esquema de %1: %2</translation>
    </message>
    <message>
        <source>%1 was written by a newer version of Slopscope (history schema %2; this version knows up to %3). It can be opened read-only; to change it, update Slopscope.</source>
        <translation>%1 se escribió con una versión más reciente de Slopscope (esquema de historial %2; esta versión conoce hasta el %3). Se puede abrir en modo de solo lectura; para modificarlo, actualice Slopscope.</translation>
    </message>
    <message>
        <source>Cannot back up %1 to %2 before upgrading it: %3</source>
        <translation>No se puede hacer una copia de seguridad de %1 en %2 antes de actualizarlo: %3</translation>
    </message>
    <message>
        <source>No migration to history schema %1.</source>
        <translation>No hay ninguna migración al esquema de historial %1.</translation>
    </message>
    <message>
        <source>Cannot upgrade %1 to history schema %2: %3</source>
        <translation>No se puede actualizar %1 al esquema de historial %2: %3</translation>
    </message>
    <message>
        <source>the history has no identity row</source>
        <translation>el historial no tiene fila de identidad</translation>
    </message>
</context>
<context>
    <name>StreamDecoder</name>
    <message>
        <source>A single event of the response exceeded %1 MiB; the stream was abandoned.</source>
        <translation>Un solo evento de la respuesta superó los %1 MiB; se abandonó el flujo.</translation>
    </message>
    <message>
        <source>The response exceeded %1 MiB; the stream was abandoned.</source>
        <translation>La respuesta superó los %1 MiB; se abandonó el flujo.</translation>
    </message>
    <message>
        <source>The response was not valid JSON: %1</source>
        <translation>La respuesta no era JSON válido: %1</translation>
    </message>
    <message>
        <source>The response was not valid JSON: an event could not be parsed.</source>
        <translation>La respuesta no era JSON válido: no se pudo analizar un evento.</translation>
    </message>
</context>
<context>
    <name>Suite</name>
    <message>
        <source>a suite must be a JSON object</source>
        <translation>una batería debe ser un objeto JSON</translation>
    </message>
    <message>
        <source>a list of cases is required</source>
        <translation>se requiere una lista de casos</translation>
    </message>
    <message>
        <source>the suite has no cases</source>
        <translation>la batería no tiene casos</translation>
    </message>
    <message>
        <source>duplicate case id &quot;%1&quot;</source>
        <translation>id de caso duplicado &quot;%1&quot;</translation>
    </message>
    <message>
        <source>unknown key (expected one of: %1)</source>
        <translation>clave desconocida (se esperaba una de: %1)</translation>
    </message>
    <message>
        <source>missing (a string is required)</source>
        <translation>falta (se requiere una cadena)</translation>
    </message>
    <message>
        <source>expected a string</source>
        <translation>se esperaba una cadena</translation>
    </message>
    <message>
        <source>expected a non-empty list of messages</source>
        <translation>se esperaba una lista no vacía de mensajes</translation>
    </message>
    <message>
        <source>expected an object with &quot;role&quot; and &quot;content&quot;</source>
        <translation>se esperaba un objeto con &quot;role&quot; y &quot;content&quot;</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a role (system, user or assistant)</source>
        <translation>&quot;%1&quot; no es un rol (system, user o assistant)</translation>
    </message>
    <message>
        <source>expected a list of assertions</source>
        <translation>se esperaba una lista de aserciones</translation>
    </message>
    <message>
        <source>expected an object with a &quot;type&quot;</source>
        <translation>se esperaba un objeto con un &quot;type&quot;</translation>
    </message>
    <message>
        <source>unknown assertion type &quot;%1&quot;</source>
        <translation>tipo de aserción desconocido &quot;%1&quot;</translation>
    </message>
    <message>
        <source>expected a number</source>
        <translation>se esperaba un número</translation>
    </message>
    <message>
        <source>expected a number of at least 0</source>
        <translation>se esperaba un número mayor o igual que 0</translation>
    </message>
    <message>
        <source>expected an object of names and values</source>
        <translation>se esperaba un objeto de nombres y valores</translation>
    </message>
    <message>
        <source>expected a string or a number</source>
        <translation>se esperaba una cadena o un número</translation>
    </message>
    <message>
        <source>expected an object</source>
        <translation>se esperaba un objeto</translation>
    </message>
    <message>
        <source>unknown variable {{%1}}</source>
        <translation>variable desconocida {{%1}}</translation>
    </message>
    <message>
        <source>give either &quot;prompt&quot; or &quot;messages&quot;, not both</source>
        <translation>indique &quot;prompt&quot; o &quot;messages&quot;, no ambos</translation>
    </message>
    <message>
        <source>a &quot;prompt&quot; or a list of &quot;messages&quot; is required</source>
        <translation>se requiere un &quot;prompt&quot; o una lista de &quot;messages&quot;</translation>
    </message>
    <message>
        <source>the prompt is empty</source>
        <translation>la instrucción está vacía</translation>
    </message>
    <message>
        <source>the id is empty</source>
        <translation>el id está vacío</translation>
    </message>
    <message>
        <source>expected a list of strings</source>
        <translation>se esperaba una lista de cadenas</translation>
    </message>
    <message>
        <source>expected a list of variants</source>
        <translation>se esperaba una lista de variantes</translation>
    </message>
    <message>
        <source>duplicate variant id &quot;%1&quot;</source>
        <translation>id de variante duplicado &quot;%1&quot;</translation>
    </message>
    <message>
        <source>%1: the file is UTF-16; save it as UTF-8</source>
        <translation>%1: el archivo está en UTF-16; guárdelo como UTF-8</translation>
    </message>
    <message>
        <source>Cannot open suite %1: %2</source>
        <translation>No se puede abrir la batería %1: %2</translation>
    </message>
    <message>
        <source>expected a whole number of milliseconds above 0</source>
        <translation>se esperaba un número entero de milisegundos mayor que 0</translation>
    </message>
    <message>
        <source>%1:%2:%3: invalid UTF-8 at byte offset %4 (byte 0x%5); save the file as UTF-8</source>
        <translation>%1:%2:%3: UTF-8 no válido en el desplazamiento de byte %4 (byte 0x%5); guarde el archivo como UTF-8</translation>
    </message>
    <message>
        <source>%1: the suite is too large (%2 MiB; limit %3 MiB)</source>
        <translation>%1: la suite es demasiado grande (%2 MiB; límite %3 MiB)</translation>
    </message>
    <message>
        <source>expected a non-empty list of tool results</source>
        <translation>se esperaba una lista no vacía de resultados de herramienta</translation>
    </message>
    <message>
        <source>expected an object with a &quot;tool&quot;, a &quot;kind&quot; and a &quot;content&quot;</source>
        <translation>se esperaba un objeto con &quot;tool&quot;, &quot;kind&quot; y &quot;content&quot;</translation>
    </message>
    <message>
        <source>the tool name is empty (use &quot;*&quot; for any tool)</source>
        <translation>el nombre de la herramienta está vacío (use &quot;*&quot; para cualquier herramienta)</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a kind of tool result (result, error, missing or interrupt)</source>
        <translation>&quot;%1&quot; no es un tipo de resultado de herramienta (result, error, missing o interrupt)</translation>
    </message>
    <message>
        <source>missing (a string, or the JSON the tool returns)</source>
        <translation>falta (una cadena, o el JSON que devuelve la herramienta)</translation>
    </message>
    <message>
        <source>expected a string (what the user says)</source>
        <translation>se esperaba una cadena (lo que dice el usuario)</translation>
    </message>
    <message>
        <source>expected a string, an object or a list</source>
        <translation>se esperaba una cadena, un objeto o una lista</translation>
    </message>
    <message>
        <source>an interrupt needs what the user says as its content</source>
        <translation>una interrupción necesita como contenido lo que dice el usuario</translation>
    </message>
    <message>
        <source>expected a non-empty list of turns</source>
        <translation>se esperaba una lista no vacía de turnos</translation>
    </message>
    <message>
        <source>expected an object with a &quot;user&quot; message</source>
        <translation>se esperaba un objeto con un mensaje &quot;user&quot;</translation>
    </message>
    <message>
        <source>the user message is empty</source>
        <translation>el mensaje del usuario está vacío</translation>
    </message>
    <message>
        <source>expected a whole number from 1 to 100</source>
        <translation>se esperaba un número entero de 1 a 100</translation>
    </message>
    <message>
        <source>expected a list of tools</source>
        <translation>se esperaba una lista de herramientas</translation>
    </message>
    <message>
        <source>expected an object with a &quot;name&quot;</source>
        <translation>se esperaba un objeto con un &quot;name&quot;</translation>
    </message>
    <message>
        <source>the name is empty</source>
        <translation>el nombre está vacío</translation>
    </message>
    <message>
        <source>duplicate tool name &quot;%1&quot;</source>
        <translation>nombre de herramienta duplicado &quot;%1&quot;</translation>
    </message>
    <message>
        <source>expected a JSON Schema object</source>
        <translation>se esperaba un objeto JSON Schema</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not one of the tools offered</source>
        <translation>&quot;%1&quot; no es una de las herramientas ofrecidas</translation>
    </message>
    <message>
        <source>expected true or false</source>
        <translation>se esperaba true o false</translation>
    </message>
    <message>
        <source>the case offers no tools (add &quot;tools&quot; to it or to the defaults)</source>
        <translation>el caso no ofrece herramientas (añada &quot;tools&quot; al caso o a los valores predeterminados)</translation>
    </message>
</context>
<context>
    <name>SuiteWriter</name>
    <message>
        <source>Cannot save the suite to %1: %2</source>
        <translation>No se puede guardar la suite en %1: %2</translation>
    </message>
</context>
<context>
    <name>TextAttachment</name>
    <message>
        <source>&quot;%1&quot; is not a file that can be read.</source>
        <translation>&quot;%1&quot; no es un archivo que se pueda leer.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is %2; attachments are limited to %3 of text.</source>
        <translation>&quot;%1&quot; ocupa %2; los adjuntos están limitados a %3 de texto.</translation>
    </message>
    <message>
        <source>Cannot read &quot;%1&quot;: %2</source>
        <translation>No se puede leer &quot;%1&quot;: %2</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not plain text (it holds binary data); only text files can be attached.</source>
        <translation>&quot;%1&quot; no es texto sin formato (contiene datos binarios); solo se pueden adjuntar archivos de texto.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not UTF-8 text; only plain-text files in UTF-8 can be attached.</source>
        <translation>&quot;%1&quot; no es texto UTF-8; solo se pueden adjuntar archivos de texto sin formato en UTF-8.</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <source>corrupt timeline blob at byte %1: %2</source>
        <translation>blob de línea temporal dañado en el byte %1: %2</translation>
    </message>
    <message>
        <source>truncated</source>
        <translation>truncado</translation>
    </message>
    <message>
        <source>integer out of range</source>
        <translation>entero fuera de rango</translation>
    </message>
    <message>
        <source>not a timeline (bad magic)</source>
        <translation>no es una línea temporal (número mágico incorrecto)</translation>
    </message>
    <message>
        <source>unsupported version %1</source>
        <translation>versión no compatible %1</translation>
    </message>
    <message>
        <source>unknown flags 0x%1</source>
        <translation>indicadores desconocidos 0x%1</translation>
    </message>
    <message>
        <source>chunk count %1 exceeds the data</source>
        <translation>el número de fragmentos %1 excede los datos</translation>
    </message>
    <message>
        <source>unknown content kind %1</source>
        <translation>tipo de contenido desconocido %1</translation>
    </message>
</context>
<context>
    <name>ToolChoice</name>
    <message>
        <source>expected &quot;auto&quot;, &quot;none&quot;, &quot;required&quot; or {&quot;name&quot;: &quot;&lt;tool&gt;&quot;}, not &quot;%1&quot;</source>
        <translation>se esperaba &quot;auto&quot;, &quot;none&quot;, &quot;required&quot; o {&quot;name&quot;: &quot;&lt;tool&gt;&quot;}, no &quot;%1&quot;</translation>
    </message>
    <message>
        <source>expected &quot;auto&quot;, &quot;none&quot;, &quot;required&quot; or {&quot;name&quot;: &quot;&lt;tool&gt;&quot;}</source>
        <translation>se esperaba &quot;auto&quot;, &quot;none&quot;, &quot;required&quot; o {&quot;name&quot;: &quot;&lt;tool&gt;&quot;}</translation>
    </message>
    <message>
        <source>unknown field; a forced tool takes only &quot;name&quot;</source>
        <translation>campo desconocido; una herramienta forzada solo admite &quot;name&quot;</translation>
    </message>
    <message>
        <source>expected the name of an offered tool as a string</source>
        <translation>se esperaba el nombre de una herramienta ofrecida como cadena</translation>
    </message>
    <message>
        <source>the name is empty</source>
        <translation>el nombre está vacío</translation>
    </message>
</context>
<context>
    <name>Workspace</name>
    <message>
        <source>%1: a price cannot be negative</source>
        <translation>%1: un precio no puede ser negativo</translation>
    </message>
    <message>
        <source>%1: expected an object</source>
        <translation>%1: se esperaba un objeto</translation>
    </message>
    <message>
        <source>%1: API keys are never read from workspace files; name an environment variable with &quot;api_key_env&quot; or store the key in the keychain</source>
        <translation>%1: las claves de API nunca se leen de los archivos del espacio de trabajo; indique una variable de entorno con &quot;api_key_env&quot; o guarde la clave en el llavero</translation>
    </message>
    <message>
        <source>%1: unknown dialect &quot;%2&quot; (expected openai-chat, openai-responses, anthropic, gemini or ollama)</source>
        <translation>%1: dialecto desconocido &quot;%2&quot; (se esperaba openai-chat, openai-responses, anthropic, gemini u ollama)</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is not an http(s) URL</source>
        <translation>%1: &quot;%2&quot; no es una URL http(s)</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is not a colour of the form #rrggbb</source>
        <translation>%1: &quot;%2&quot; no es un color con la forma #rrggbb</translation>
    </message>
    <message>
        <source>%1: temperature must be between 0 and 2</source>
        <translation>%1: la temperatura debe estar entre 0 y 2</translation>
    </message>
    <message>
        <source>%1: a workspace must be a JSON object</source>
        <translation>%1: un espacio de trabajo debe ser un objeto JSON</translation>
    </message>
    <message>
        <source>%1.id: duplicate provider id &quot;%2&quot;</source>
        <translation>%1.id: id de proveedor duplicado &quot;%2&quot;</translation>
    </message>
    <message>
        <source>%1.id: duplicate target id &quot;%2&quot;</source>
        <translation>%1.id: id de objetivo duplicado &quot;%2&quot;</translation>
    </message>
    <message>
        <source>%1.provider: no provider with id &quot;%2&quot;</source>
        <translation>%1.provider: no hay ningún proveedor con id &quot;%2&quot;</translation>
    </message>
    <message>
        <source>Cannot open workspace %1: %2</source>
        <translation>No se puede abrir el espacio de trabajo %1: %2</translation>
    </message>
    <message>
        <source>%1.id: a provider needs an id</source>
        <translation>%1.id: un proveedor necesita un id</translation>
    </message>
    <message>
        <source>%1.id: a target needs an id</source>
        <translation>%1.id: un objetivo necesita un id</translation>
    </message>
    <message>
        <source>%1.model: a target needs a model</source>
        <translation>%1.model: un objetivo necesita un modelo</translation>
    </message>
    <message>
        <source>%1.params.max_tokens: must be between 1 and %2</source>
        <translation>%1.params.max_tokens: debe estar entre 1 y %2</translation>
    </message>
    <message>
        <source>No target with id &quot;%1&quot;</source>
        <translation>No hay ningún objetivo con el id &quot;%1&quot;</translation>
    </message>
    <message>
        <source>%1: not a proxy URL (expected &quot;none&quot; or http://host:port)</source>
        <translation>%1: no es una URL de proxy (se esperaba &quot;none&quot; o http://host:port)</translation>
    </message>
    <message>
        <source>%1: proxy credentials are secrets and are not read from workspace files; set them in https_proxy (http://user:password@host:port)</source>
        <translation>%1: las credenciales del proxy son secretos y no se leen de los archivos del espacio de trabajo; defínalas en https_proxy (http://user:password@host:port)</translation>
    </message>
    <message>
        <source>%1.%2: expected a string, or {&quot;secret&quot;: &quot;NAME&quot;} naming an environment variable or keychain entry that holds the value</source>
        <translation>%1.%2: se esperaba una cadena o {&quot;secret&quot;: &quot;NAME&quot;} con el nombre de una variable de entorno o entrada del llavero que contiene el valor</translation>
    </message>
    <message>
        <source>Cannot save the workspace to %1: %2</source>
        <translation>No se puede guardar el espacio de trabajo en %1: %2</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is not a header name (letters, digits and !#$%&amp;&apos;*+-.^_`|~ only)</source>
        <translation>%1: &quot;%2&quot; no es un nombre de cabecera (solo letras, dígitos y !#$%&amp;&apos;*+-.^_`|~)</translation>
    </message>
    <message>
        <source>%1.%2: a header value cannot contain a line break</source>
        <translation>%1.%2: un valor de cabecera no puede contener un salto de línea</translation>
    </message>
    <message>
        <source>%1.%2: name the keychain entry or environment variable that holds the value</source>
        <translation>%1.%2: indique la entrada del llavero o la variable de entorno que contiene el valor</translation>
    </message>
    <message>
        <source>%1.%2: is both a plain and a secret header; keep one</source>
        <translation>%1.%2: es a la vez una cabecera normal y una secreta; conserve una</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>no se puede leer %1: %2</translation>
    </message>
    <message>
        <source>%1 is larger than 1 MB; expected PEM certificates</source>
        <translation>%1 ocupa más de 1 MB; se esperaban certificados PEM</translation>
    </message>
    <message>
        <source>%1 holds no PEM certificate</source>
        <translation>%1 no contiene ningún certificado PEM</translation>
    </message>
    <message>
        <source>%1: an empty entry</source>
        <translation>%1: una entrada vacía</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is one host, suffix, address or block (no spaces or commas)</source>
        <translation>%1: &quot;%2&quot; es un solo host, sufijo, dirección o bloque (sin espacios ni comas)</translation>
    </message>
    <message>
        <source>%1: expected a string</source>
        <translation>%1: se esperaba una cadena</translation>
    </message>
</context>
<context>
    <name>cli</name>
    <message>
        <source>%1: %2 provider(s), %3 target(s)</source>
        <translation>%1: %2 proveedor(es), %3 objetivo(s)</translation>
    </message>
    <message>
        <source>Unknown command &quot;%1&quot;.</source>
        <translation>Comando desconocido &quot;%1&quot;.</translation>
    </message>
    <message>
        <source>Runs the Slopscope provider simulator: simulated OpenAI, Anthropic, Gemini and Ollama endpoints on one port. Every model it serves is simulated.</source>
        <translation>Ejecuta el simulador de proveedores de Slopscope: endpoints simulados de OpenAI, Anthropic, Gemini y Ollama en un solo puerto. Todos los modelos que sirve son simulados.</translation>
    </message>
    <message>
        <source>TCP port (0 picks a free one).</source>
        <translation>Puerto TCP (0 elige uno libre).</translation>
    </message>
    <message>
        <source>N</source>
        <translation>N</translation>
    </message>
    <message>
        <source>Personas file instead of the bundled lineup.</source>
        <translation>Archivo de perfiles en lugar de la selección incluida.</translation>
    </message>
    <message>
        <source>FILE</source>
        <translation>ARCHIVO</translation>
    </message>
    <message>
        <source>Also recognise the cases of this suite file.</source>
        <translation>Reconocer también los casos de este archivo de batería.</translation>
    </message>
    <message>
        <source>Append one JSON line of ground truth per request.</source>
        <translation>Añadir una línea JSON con los datos reales por cada solicitud.</translation>
    </message>
    <message>
        <source>Address to listen on (default 127.0.0.1; anything else is exposed).</source>
        <translation>Dirección en la que escuchar (predeterminada: 127.0.0.1; cualquier otra queda expuesta).</translation>
    </message>
    <message>
        <source>ADDR</source>
        <translation>DIRECCIÓN</translation>
    </message>
    <message>
        <source>Switch off the personas&apos; random faults (x-sim-fault still works).</source>
        <translation>Desactivar los fallos aleatorios de los perfiles (x-sim-fault sigue funcionando).</translation>
    </message>
    <message>
        <source>--port: &quot;%1&quot; is not a port number.</source>
        <translation>--port: &quot;%1&quot; no es un número de puerto.</translation>
    </message>
    <message>
        <source>--listen: &quot;%1&quot; is not an IP address.</source>
        <translation>--listen: &quot;%1&quot; no es una dirección IP.</translation>
    </message>
    <message>
        <source>Warning: listening on %1, not on loopback: anyone who can reach this address can use the simulator.</source>
        <translation>Advertencia: escuchando en %1, no en la interfaz de bucle invertido: cualquiera que pueda llegar a esta dirección puede usar el simulador.</translation>
    </message>
    <message>
        <source>Cannot listen on %1:%2: %3</source>
        <translation>No se puede escuchar en %1:%2: %3</translation>
    </message>
    <message>
        <source>Slopscope simulator listening on http://%1:%2 (%3 simulated models)</source>
        <translation>Simulador de Slopscope escuchando en http://%1:%2 (%3 modelos simulados)</translation>
    </message>
    <message>
        <source>Simulator stopped.</source>
        <translation>Simulador detenido.</translation>
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
        <translation>Uso: slopscope-cli [--version] [--help] [--trace] &lt;command&gt; [options]
Comandos:
  check-workspace FILE   valida un archivo de espacio de trabajo y lista sus objetivos
  run --demo | --workspace FILE [--suite NAME|FILE] [--targets ID,ID] [--repeat K]
      [--concurrency N] [--variants] [--seed S] [--max-cost USD] [--retry-truncated] [--no-preconnect]
      [--fail-under quality=0.8] [--shard I/N] [--judge TARGET] [--db FILE | --no-db]
      [--jsonl FILE] [--summary FILE.json] [--report FILE.html|.pdf|.md]...
      [--chart FILE.png|.svg|.pdf]... [--csv FILE]
                         ejecuta una suite, la registra e imprime una línea por objetivo
  resume RUN_ID [--db FILE] [--workspace FILE] [outputs]
                         envía solo lo que le falta a una ejecución interrumpida
  report RUN_ID [--db FILE] [outputs]
                         escribe los informes de una ejecución registrada desde la base de datos
  runs [--db FILE]        lista las ejecuciones registradas: id, inicio, estado, respuestas, coste
  merge DB... --db FILE   une bases de datos (los shards de una matriz de CI) en una sola
  import promptfoo|csv|jsonl FILE --out SUITE.json
                         convierte una configuración de promptfoo, un CSV o un registro de chat en una suite
  keys set NAME | keys remove NAME | keys status [--workspace FILE | --demo] [NAME...]
                         claves de API en el llavero del sistema (set lee la clave de stdin)
  keys allow-host NAME HOST
                         permite que una clave guardada vaya a otro host (se pide en la app)
  sim [--port N] [--personas FILE] [--log FILE] [--listen ADDR]
                         ejecuta el simulador de proveedores (todos los modelos simulados)
--trace registra cada solicitud (credenciales mostradas como ***) y las decisiones del planificador
en stderr; QT_LOGGING_RULES=&quot;slopscope.net.debug=true&quot; hace lo mismo para una categoría.
Códigos de salida de run: 0 correcto, 1 falló una condición --fail-under o --max-cost, 2 uso o
entrada incorrectos, 3 la ejecución no pudo completarse. &apos;slopscope-cli run --help&apos; lista todas las opciones.
</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Slopscope workbench</source>
        <translation>Banco de trabajo Slopscope</translation>
    </message>
    <message>
        <source>Open this workspace file (&quot;demo&quot; for the bundled demo).</source>
        <translation>Abrir este archivo de espacio de trabajo (&quot;demo&quot; para la demostración incluida).</translation>
    </message>
    <message>
        <source>file</source>
        <translation>archivo</translation>
    </message>
    <message>
        <source>Open the main window, check it, and quit.</source>
        <translation>Abrir la ventana principal, comprobarla y salir.</translation>
    </message>
    <message>
        <source>Save a PNG of the main window after it settles, then quit.</source>
        <translation>Guardar un PNG de la ventana principal cuando se estabilice y después salir.</translation>
    </message>
    <message>
        <source>Start a run of the selected suite at once.</source>
        <translation>Iniciar de inmediato una ejecución de la batería seleccionada.</translation>
    </message>
    <message>
        <source>Milliseconds to wait before the screenshot (default 1500).</source>
        <translation>Milisegundos de espera antes de la captura de pantalla (predeterminado: 1500).</translation>
    </message>
    <message>
        <source>ms</source>
        <translation>ms</translation>
    </message>
    <message>
        <source>page</source>
        <translation>página</translation>
    </message>
    <message>
        <source>Record runs in this history database (default: the user&apos;s).</source>
        <translation>Registrar las ejecuciones en esta base de datos del historial (predeterminada: la del usuario).</translation>
    </message>
    <message>
        <source>Do not record runs.</source>
        <translation>No registrar las ejecuciones.</translation>
    </message>
    <message>
        <source>Cannot open workspace</source>
        <translation>No se puede abrir el espacio de trabajo</translation>
    </message>
    <message>
        <source>Show this run of the history (its id) instead of an empty window.</source>
        <translation>Mostrar esta ejecución del historial (su id) en lugar de una ventana vacía.</translation>
    </message>
    <message>
        <source>run-id</source>
        <translation>id-ejecución</translation>
    </message>
    <message>
        <source>Load this routing policy file: its policies are replayed over each run and drawn on the quadrant.</source>
        <translation>Cargar este archivo de políticas de enrutamiento: sus políticas se reproducen sobre cada ejecución y se dibujan en el cuadrante.</translation>
    </message>
    <message>
        <source>Use this theme for this start only: system, light or dark.</source>
        <translation>Usar este tema solo en este inicio: system, light o dark.</translation>
    </message>
    <message>
        <source>theme</source>
        <translation>tema</translation>
    </message>
    <message>
        <source>Slopscope is already running (pid %1); its window was brought to the front.</source>
        <translation>Slopscope ya se está ejecutando (pid %1); su ventana se ha traído al frente.</translation>
    </message>
    <message>
        <source>Slopscope is already running (pid %1) with %2.</source>
        <translation>Slopscope ya se está ejecutando (pid %1) con %2.</translation>
    </message>
    <message>
        <source>Send this prompt in Quick Compare to the checked targets; repeat it for a chat, each sent once the previous one is answered.</source>
        <translation>Enviar este prompt en Comparación rápida a los objetivos marcados; repítalo para un chat: cada uno se envía cuando el anterior ha sido respondido.</translation>
    </message>
    <message>
        <source>text</source>
        <translation>texto</translation>
    </message>
    <message>
        <source>The history holds fewer than two runs.</source>
        <translation>El historial contiene menos de dos ejecuciones.</translation>
    </message>
    <message>
        <source>Show a results page large: results (the matrix), leaderboard, diff or disagreements; routing opens Run ▸ Routing Policies; quadrant saves the screenshot as the chart export; settings, providers and appearance open Settings ▸ Preferences… on that page; suite brings the Suite panel to the front; quick opens View ▸ Quick Compare; drift opens File ▸ Drift…; compare compares the newest runs of the history (up to four); arena opens Run ▸ Blind Arena over the run on show (with --run, once it ends).</source>
        <translation>Muestra una página de resultados en grande: results (la matriz), leaderboard, diff o disagreements; routing abre Ejecución ▸ Políticas de enrutamiento; quadrant guarda la captura como exportación del gráfico; settings, providers y appearance abren Configuración ▸ Preferencias… en esa página; suite trae al frente el panel Suite; quick abre Ver ▸ Comparación rápida; drift abre Archivo ▸ Deriva…; compare compara las ejecuciones más recientes del historial (hasta cuatro); arena abre Ejecución ▸ Arena a ciegas sobre la ejecución mostrada (con --run, cuando termine).</translation>
    </message>
    <message>
        <source>Unknown view %1: use results, leaderboard, diff, disagreements, routing, quadrant, suite, settings, providers, appearance, quick, drift, compare or arena.</source>
        <translation>Vista desconocida %1: use results, leaderboard, diff, disagreements, routing, quadrant, suite, settings, providers, appearance, quick, drift, compare o arena.</translation>
    </message>
    <message>
        <source>Log each request (credentials shown as ***) and the scheduler&apos;s decisions to stderr.</source>
        <translation>Registra cada solicitud (credenciales mostradas como ***) y las decisiones del planificador en stderr.</translation>
    </message>
</context>
</TS>
