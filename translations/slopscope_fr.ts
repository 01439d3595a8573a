<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr">
<context>
    <name>BestPick</name>
    <message>
        <source>no answers to pick from</source>
        <translation>aucune réponse parmi laquelle choisir</translation>
    </message>
    <message>
        <source>the judge&apos;s answer is empty</source>
        <translation>la réponse du juge est vide</translation>
    </message>
    <message>
        <source>the judge&apos;s answer is too long (%1 characters)</source>
        <translation>la réponse du juge est trop longue (%1 caractères)</translation>
    </message>
    <message>
        <source>no JSON verdict in the judge&apos;s answer (&quot;%1&quot;)</source>
        <translation>aucun verdict JSON dans la réponse du juge (&quot;%1&quot;)</translation>
    </message>
    <message>
        <source>the verdict names no best answer</source>
        <translation>le verdict ne désigne aucune meilleure réponse</translation>
    </message>
    <message>
        <source>the verdict&apos;s best is not a label (%1)</source>
        <translation>le champ best du verdict n&apos;est pas une étiquette (%1)</translation>
    </message>
    <message>
        <source>the verdict&apos;s best &quot;%1&quot; is not one of the labels shown (A to %2)</source>
        <translation>le champ best &quot;%1&quot; du verdict n&apos;est pas l&apos;une des étiquettes affichées (A à %2)</translation>
    </message>
    <message>
        <source>the verdict&apos;s reason is not a string</source>
        <translation>le champ reason du verdict n&apos;est pas une chaîne</translation>
    </message>
</context>
<context>
    <name>CellCodec</name>
    <message>
        <source>its chunk timeline: %1</source>
        <translation>sa chronologie de fragments : %1</translation>
    </message>
    <message>
        <source>its chain turns are not valid JSON</source>
        <translation>ses tours de chaîne ne sont pas du JSON valide</translation>
    </message>
    <message>
        <source>its thoughts are not valid JSON</source>
        <translation>ses réflexions ne sont pas du JSON valide</translation>
    </message>
</context>
<context>
    <name>ChainTranscript</name>
    <message>
        <source>Tool result (unknown tool)</source>
        <translation>Résultat d&apos;outil (outil inconnu)</translation>
    </message>
    <message>
        <source>Tool result</source>
        <translation>Résultat d&apos;outil</translation>
    </message>
    <message>
        <source>Tool result (failure)</source>
        <translation>Résultat d&apos;outil (échec)</translation>
    </message>
    <message>
        <source>Tool result (missing information)</source>
        <translation>Résultat d&apos;outil (informations manquantes)</translation>
    </message>
    <message>
        <source>Tool result (interrupted)</source>
        <translation>Résultat d&apos;outil (interrompu)</translation>
    </message>
    <message>
        <source>passed</source>
        <translation>réussi</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>échoué</translation>
    </message>
    <message>
        <source>Turn %1</source>
        <translation>Tour %1</translation>
    </message>
    <message>
        <source>%1 · score %2%</source>
        <translation>%1 · score %2%</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Utilisateur</translation>
    </message>
    <message>
        <source>Tool call</source>
        <translation>Appel d&apos;outil</translation>
    </message>
    <message>
        <source>(the call was cancelled)</source>
        <translation>(l&apos;appel a été annulé)</translation>
    </message>
    <message>
        <source>User (interjects)</source>
        <translation>Utilisateur (intervient)</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Arrêté</translation>
    </message>
    <message>
        <source>the model kept calling tools past the round cap</source>
        <translation>le modèle a continué d&apos;appeler des outils au-delà de la limite de cycles</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>Assistant</translation>
    </message>
    <message>
        <source>Waiting for judge</source>
        <translation>En attente du juge</translation>
    </message>
    <message>
        <source>Failed check</source>
        <translation>Vérification échouée</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
</context>
<context>
    <name>CliProgress</name>
    <message>
        <source>%1/%2 done, %3 spent, %4 elapsed, ETA %5</source>
        <translation>%1/%2 terminés, %3 dépensés, %4 écoulés, fin estimée dans %5</translation>
    </message>
</context>
<context>
    <name>CodeSandbox</name>
    <message>
        <source>the interpreter must be a name or an absolute path, not &quot;%1&quot;</source>
        <translation>l&apos;interpréteur doit être un nom ou un chemin absolu, pas &quot;%1&quot;</translation>
    </message>
    <message>
        <source>the interpreter &quot;%1&quot; was not found</source>
        <translation>l&apos;interpréteur &quot;%1&quot; est introuvable</translation>
    </message>
    <message>
        <source>the interpreter %1 is outside /usr, where the sandbox cannot see it</source>
        <translation>l&apos;interpréteur %1 est hors de /usr, où le bac à sable ne peut pas le voir</translation>
    </message>
    <message>
        <source>a code-tests check needs tests (the assertion&apos;s value)</source>
        <translation>une vérification code-tests nécessite des tests (la valeur de l&apos;assertion)</translation>
    </message>
    <message>
        <source>code-tests need bubblewrap (Debian: apt install bubblewrap) or an explicit opt-in to run generated code unsandboxed</source>
        <translation>code-tests nécessite bubblewrap (Debian : apt install bubblewrap) ou une autorisation explicite d&apos;exécuter le code généré hors bac à sable</translation>
    </message>
    <message>
        <source>could not write the code to a temporary directory</source>
        <translation>impossible d&apos;écrire le code dans un répertoire temporaire</translation>
    </message>
    <message>
        <source>could not start %1: %2</source>
        <translation>impossible de démarrer %1 : %2</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>annulé</translation>
    </message>
    <message>
        <source> (unsandboxed)</source>
        <translation> (hors bac à sable)</translation>
    </message>
    <message>
        <source>timed out after %1 s%2</source>
        <translation>délai dépassé après %1 s%2</translation>
    </message>
    <message>
        <source>the sandbox did not start%1</source>
        <translation>le bac à sable n&apos;a pas démarré%1</translation>
    </message>
    <message>
        <source>the tests passed and report a score of %1%2</source>
        <translation>les tests ont réussi et indiquent un score de %1%2</translation>
    </message>
    <message>
        <source>the tests passed%1</source>
        <translation>les tests ont réussi%1</translation>
    </message>
    <message>
        <source>the tests crashed</source>
        <translation>les tests ont planté</translation>
    </message>
    <message>
        <source>the tests were killed by signal %1</source>
        <translation>les tests ont été tués par le signal %1</translation>
    </message>
    <message>
        <source>the tests failed (exit code %1)</source>
        <translation>les tests ont échoué (code de sortie %1)</translation>
    </message>
</context>
<context>
    <name>CoreDumps</name>
    <message>
        <source>Could not turn off core dumps: %1</source>
        <translation>Impossible de désactiver les core dumps : %1</translation>
    </message>
    <message>
        <source>Could not make the process non-dumpable: %1</source>
        <translation>Impossible de rendre le processus non dumpable : %1</translation>
    </message>
</context>
<context>
    <name>CostCalculator</name>
    <message>
        <source>usage not reported</source>
        <translation>consommation non indiquée</translation>
    </message>
    <message>
        <source>output token count not reported</source>
        <translation>nombre de jetons de sortie non indiqué</translation>
    </message>
    <message>
        <source>input token count not reported</source>
        <translation>nombre de jetons d&apos;entrée non indiqué</translation>
    </message>
    <message>
        <source>inconsistent usage: negative token count</source>
        <translation>consommation incohérente&#xa0;: nombre de jetons négatif</translation>
    </message>
    <message>
        <source>inconsistent usage: cached and cache-write tokens exceed input tokens</source>
        <translation>consommation incohérente&#xa0;: les jetons en cache et d&apos;écriture en cache dépassent les jetons d&apos;entrée</translation>
    </message>
    <message>
        <source>inconsistent usage: reasoning tokens exceed output tokens</source>
        <translation>consommation incohérente&#xa0;: les jetons de raisonnement dépassent les jetons de sortie</translation>
    </message>
    <message>
        <source>input tokens</source>
        <translation>jetons d&apos;entrée</translation>
    </message>
    <message>
        <source>cached input tokens</source>
        <translation>jetons d&apos;entrée en cache</translation>
    </message>
    <message>
        <source>cache-write tokens</source>
        <translation>jetons d&apos;écriture en cache</translation>
    </message>
    <message>
        <source>output tokens</source>
        <translation>jetons de sortie</translation>
    </message>
    <message>
        <source>no price for %1</source>
        <translation>aucun prix pour %1</translation>
    </message>
</context>
<context>
    <name>CsvImporter</name>
    <message>
        <source>unexpected character after a closing quote (a quote inside a quoted field is written as two quotes)</source>
        <translation>caractère inattendu après un guillemet fermant (un guillemet dans un champ entre guillemets s&apos;écrit avec deux guillemets)</translation>
    </message>
    <message>
        <source>a quote inside an unquoted field (quote the whole field and double the quote)</source>
        <translation>guillemet dans un champ sans guillemets (mettez tout le champ entre guillemets et doublez le guillemet)</translation>
    </message>
    <message>
        <source>the quoted field opened here is never closed</source>
        <translation>le champ entre guillemets ouvert ici n&apos;est jamais fermé</translation>
    </message>
    <message>
        <source>%1: the file is empty (a header row with a &quot;prompt&quot; column is required)</source>
        <translation>%1&#xa0;: le fichier est vide (une ligne d&apos;en-tête avec une colonne &quot;prompt&quot; est requise)</translation>
    </message>
    <message>
        <source>column %1 has no name</source>
        <translation>la colonne %1 n&apos;a pas de nom</translation>
    </message>
    <message>
        <source>the column &quot;%1&quot; appears twice</source>
        <translation>la colonne &quot;%1&quot; apparaît deux fois</translation>
    </message>
    <message>
        <source>no &quot;prompt&quot; column (the header has: %1)</source>
        <translation>aucune colonne &quot;prompt&quot; (l&apos;en-tête contient&#xa0;: %1)</translation>
    </message>
    <message>
        <source>Imported from %1</source>
        <translation>Importé depuis %1</translation>
    </message>
    <message>
        <source>%1 field(s), but the header has %2</source>
        <translation>%1 champ(s), mais l&apos;en-tête en compte %2</translation>
    </message>
    <message>
        <source>id: the id is empty</source>
        <translation>id&#xa0;: l&apos;identifiant est vide</translation>
    </message>
    <message>
        <source>id: duplicate case id &quot;%1&quot;</source>
        <translation>id&#xa0;: identifiant de cas en double &quot;%1&quot;</translation>
    </message>
    <message>
        <source>prompt: the prompt is empty</source>
        <translation>prompt&#xa0;: l&apos;invite est vide</translation>
    </message>
    <message>
        <source>prompt: unknown variable {{%1}} (no column of that name)</source>
        <translation>prompt&#xa0;: variable inconnue {{%1}} (aucune colonne de ce nom)</translation>
    </message>
    <message>
        <source>the file has a header but no cases</source>
        <translation>le fichier a un en-tête mais aucun cas</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>Impossible d&apos;ouvrir %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1: the file is too large (the limit is %2 MiB)</source>
        <translation>%1&#xa0;: le fichier est trop volumineux (la limite est de %2&#xa0;Mio)</translation>
    </message>
</context>
<context>
    <name>Disagreement</name>
    <message>
        <source>Number</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
</context>
<context>
    <name>EmbeddedSimulator</name>
    <message>
        <source>The simulator cannot listen on 127.0.0.1: %1</source>
        <translation>Le simulateur ne peut pas écouter sur 127.0.0.1&#xa0;: %1</translation>
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
        <translation>%1&#xa0;s</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1&#xa0;min</translation>
    </message>
    <message>
        <source>Cannot resolve %1</source>
        <translation>Impossible de résoudre %1</translation>
    </message>
    <message>
        <source>Connection refused by %1 — is the server running?</source>
        <translation>Connexion refusée par %1 — le serveur est-il démarré&#xa0;?</translation>
    </message>
    <message>
        <source>%1 closed the connection</source>
        <translation>%1 a fermé la connexion</translation>
    </message>
    <message>
        <source>TLS handshake with %1 failed</source>
        <translation>Échec de la négociation TLS avec %1</translation>
    </message>
    <message>
        <source>TLS certificate not trusted: %1</source>
        <translation>Certificat TLS non approuvé&#xa0;: %1</translation>
    </message>
    <message>
        <source>The network is not available</source>
        <translation>Le réseau n&apos;est pas disponible</translation>
    </message>
    <message>
        <source>The proxy refused the connection to %1</source>
        <translation>Le proxy a refusé la connexion à %1</translation>
    </message>
    <message>
        <source>The proxy closed the connection to %1</source>
        <translation>Le proxy a fermé la connexion à %1</translation>
    </message>
    <message>
        <source>Cannot resolve the proxy for %1</source>
        <translation>Impossible de résoudre le proxy pour %1</translation>
    </message>
    <message>
        <source>The proxy for %1 did not answer in time</source>
        <translation>Le proxy pour %1 n&apos;a pas répondu à temps</translation>
    </message>
    <message>
        <source>The proxy for %1 requires authentication</source>
        <translation>Le proxy pour %1 exige une authentification</translation>
    </message>
    <message>
        <source>Malformed HTTP response from %1</source>
        <translation>Réponse HTTP mal formée de %1</translation>
    </message>
    <message>
        <source>timed out talking to %1</source>
        <translation>délai dépassé lors de l&apos;échange avec %1</translation>
    </message>
    <message>
        <source>Network error talking to %1 (code %2)</source>
        <translation>Erreur réseau lors de l&apos;échange avec %1 (code %2)</translation>
    </message>
    <message>
        <source>Network error talking to %1: %2</source>
        <translation>Erreur réseau lors de l&apos;échange avec %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>timed out: could not connect to %1 within %2</source>
        <translation>délai dépassé&#xa0;: impossible de se connecter à %1 en %2</translation>
    </message>
    <message>
        <source>timed out: %1 sent no response within %2</source>
        <translation>délai dépassé&#xa0;: %1 n&apos;a envoyé aucune réponse en %2</translation>
    </message>
    <message>
        <source>timed out: no content within %1 of sending the request</source>
        <translation>délai dépassé&#xa0;: aucun contenu dans les %1 suivant l&apos;envoi de la requête</translation>
    </message>
    <message>
        <source>timed out: no data for %1</source>
        <translation>délai dépassé&#xa0;: aucune donnée pendant %1</translation>
    </message>
    <message>
        <source>timed out: no new content for %1 (only keep-alives)</source>
        <translation>délai dépassé&#xa0;: aucun nouveau contenu pendant %1 (seulement des keep-alive)</translation>
    </message>
    <message>
        <source>timed out (deadline): no complete answer after %1</source>
        <translation>délai dépassé (échéance)&#xa0;: aucune réponse complète après %1</translation>
    </message>
    <message>
        <source>timed out after %1</source>
        <translation>délai dépassé après %1</translation>
    </message>
    <message>
        <source>Connection refused by %1 — is Ollama running? Start it with “ollama serve”.</source>
        <translation>Connexion refusée par %1 — Ollama est-il lancé ? Démarrez-le avec “ollama serve”.</translation>
    </message>
    <message>
        <source>Connection refused by %1 — is %2 running?</source>
        <translation>Connexion refusée par %1 — %2 est-il lancé ?</translation>
    </message>
    <message>
        <source>blocked by the provider&apos;s safety filter (%1)</source>
        <translation>bloqué par le filtre de sécurité du fournisseur (%1)</translation>
    </message>
    <message>
        <source>no content type</source>
        <translation>aucun type de contenu</translation>
    </message>
    <message>
        <source>Unexpected response (%1) from %2</source>
        <translation>Réponse inattendue (%1) de %2</translation>
    </message>
    <message>
        <source>Unexpected response (%1) from %2: %3</source>
        <translation>Réponse inattendue (%1) de %2 : %3</translation>
    </message>
    <message>
        <source>The prompt is longer than the model&apos;s context window; shorten it or pick a model with a longer context (%1)</source>
        <translation>Le prompt dépasse la fenêtre de contexte du modèle ; raccourcissez-le ou choisissez un modèle à contexte plus long (%1)</translation>
    </message>
</context>
<context>
    <name>Grader</name>
    <message>
        <source>the assertion&apos;s value is not a JSON schema</source>
        <translation>la valeur de l&apos;assertion n&apos;est pas un schéma JSON</translation>
    </message>
    <message>
        <source> (not checked: %1)</source>
        <translation> (non vérifié&#xa0;: %1)</translation>
    </message>
    <message>
        <source>%1 matches the schema%2</source>
        <translation>%1 correspond au schéma%2</translation>
    </message>
    <message>
        <source>%1 does not match the schema: %2</source>
        <translation>%1 ne correspond pas au schéma&#xa0;: %2</translation>
    </message>
    <message>
        <source> (read from the answer text)</source>
        <translation> (lu dans le texte de la réponse)</translation>
    </message>
    <message>
        <source>no tool call in the answer</source>
        <translation>aucun appel d&apos;outil dans la réponse</translation>
    </message>
    <message>
        <source>the assertion&apos;s value lists no tool definitions</source>
        <translation>la valeur de l&apos;assertion ne liste aucune définition d&apos;outil</translation>
    </message>
    <message>
        <source>a tool call has no name%1</source>
        <translation>un appel d&apos;outil n&apos;a pas de nom%1</translation>
    </message>
    <message>
        <source>the arguments of %1 are not a JSON object%2</source>
        <translation>les arguments de %1 ne sont pas un objet JSON%2</translation>
    </message>
    <message>
        <source>%1 is not one of the tools offered (%2)</source>
        <translation>%1 ne fait pas partie des outils proposés (%2)</translation>
    </message>
    <message>
        <source>the arguments of %1 do not match its parameters: %2</source>
        <translation>les arguments de %1 ne correspondent pas à ses paramètres&#xa0;: %2</translation>
    </message>
    <message>
        <source>the assertion names no tool call to expect</source>
        <translation>l&apos;assertion ne désigne aucun appel d&apos;outil attendu</translation>
    </message>
    <message>
        <source>expected a tool name or {&quot;name&quot;, &quot;arguments&quot;} in the assertion&apos;s value</source>
        <translation>nom d&apos;outil ou {&quot;name&quot;, &quot;arguments&quot;} attendu dans la valeur de l&apos;assertion</translation>
    </message>
    <message>
        <source>%1 was called with other arguments than %2</source>
        <translation>%1 a été appelé avec d&apos;autres arguments que %2</translation>
    </message>
    <message>
        <source>no call of %1</source>
        <translation>aucun appel de %1</translation>
    </message>
    <message>
        <source>%1 of %2 expected tool call(s) made</source>
        <translation>%1 sur %2 appel(s) d&apos;outil attendu(s) effectué(s)</translation>
    </message>
    <message>
        <source>%1 of %2 expected tool call(s) made; %3</source>
        <translation>%1 sur %2 appel(s) d&apos;outil attendu(s) effectué(s)&#xa0;; %3</translation>
    </message>
    <message>
        <source>expected JSON equal to %1</source>
        <translation>JSON égal à %1 attendu</translation>
    </message>
    <message>
        <source>expected exactly &quot;%1&quot;</source>
        <translation>attendu&#xa0;: exactement &quot;%1&quot;</translation>
    </message>
    <message>
        <source>expected to contain &quot;%1&quot;</source>
        <translation>devait contenir &quot;%1&quot;</translation>
    </message>
    <message>
        <source>expected to contain &quot;%1&quot; (any case)</source>
        <translation>devait contenir &quot;%1&quot; (casse indifférente)</translation>
    </message>
    <message>
        <source>expected not to contain &quot;%1&quot;</source>
        <translation>ne devait pas contenir &quot;%1&quot;</translation>
    </message>
    <message>
        <source>expected to start with &quot;%1&quot;</source>
        <translation>devait commencer par &quot;%1&quot;</translation>
    </message>
    <message>
        <source>expected to end with &quot;%1&quot;</source>
        <translation>devait se terminer par &quot;%1&quot;</translation>
    </message>
    <message>
        <source>%1 of %2 expected phrases found</source>
        <translation>%1 sur %2 expressions attendues trouvées</translation>
    </message>
    <message>
        <source>invalid regular expression: %1</source>
        <translation>expression régulière non valide&#xa0;: %1</translation>
    </message>
    <message>
        <source>expected to match /%1/</source>
        <translation>devait correspondre à /%1/</translation>
    </message>
    <message>
        <source>expected the whole answer to be JSON</source>
        <translation>toute la réponse devait être du JSON</translation>
    </message>
    <message>
        <source>the answer is JSON</source>
        <translation>la réponse est du JSON</translation>
    </message>
    <message>
        <source>the answer</source>
        <translation>la réponse</translation>
    </message>
    <message>
        <source>expected a JSON value in the answer</source>
        <translation>une valeur JSON était attendue dans la réponse</translation>
    </message>
    <message>
        <source>the answer contains JSON</source>
        <translation>la réponse contient du JSON</translation>
    </message>
    <message>
        <source>the JSON in the answer</source>
        <translation>le JSON de la réponse</translation>
    </message>
    <message>
        <source>edit distance at least %1 (at most %2)</source>
        <translation>distance d&apos;édition d&apos;au moins %1 (au plus %2)</translation>
    </message>
    <message>
        <source>edit distance %1 (at most %2)</source>
        <translation>distance d&apos;édition %1 (au plus %2)</translation>
    </message>
    <message>
        <source>%1 words (%2 to %3)</source>
        <translation>%1 mots (%2 à %3)</translation>
    </message>
    <message>
        <source>the assertion gives no word count (a number or {&quot;min&quot;, &quot;max&quot;})</source>
        <translation>l&apos;assertion ne donne aucun nombre de mots (un nombre ou {&quot;min&quot;, &quot;max&quot;})</translation>
    </message>
    <message>
        <source>%1 words (expected %2)</source>
        <translation>%1 mots (%2 attendus)</translation>
    </message>
    <message>
        <source>the %1 assertion needs a threshold</source>
        <translation>l&apos;assertion %1 nécessite un seuil</translation>
    </message>
    <message>
        <source>latency was not measured</source>
        <translation>la latence n&apos;a pas été mesurée</translation>
    </message>
    <message>
        <source>cost is unknown</source>
        <translation>le coût est inconnu</translation>
    </message>
    <message>
        <source>%1 ms (at most %2 ms)</source>
        <translation>%1&#xa0;ms (au plus %2&#xa0;ms)</translation>
    </message>
    <message>
        <source>$%1 (at most $%2)</source>
        <translation>$%1 (au plus $%2)</translation>
    </message>
    <message>
        <source>the assertion gives no number to compare with</source>
        <translation>l&apos;assertion ne donne aucun nombre auquel comparer</translation>
    </message>
    <message>
        <source>no number in the answer (expected %1)</source>
        <translation>aucun nombre dans la réponse (%1 attendu)</translation>
    </message>
    <message>
        <source>found %1, expected %2 ± %3</source>
        <translation>%1 trouvé, %2 ± %3 attendu</translation>
    </message>
    <message>
        <source>unknown grader &quot;%1&quot;: this check cannot be graded</source>
        <translation>évaluateur inconnu &quot;%1&quot;&#xa0;: cette vérification ne peut pas être évaluée</translation>
    </message>
    <message>
        <source>waiting for a judge</source>
        <translation>en attente d&apos;un juge</translation>
    </message>
    <message>
        <source>not: %1</source>
        <translation>pas : %1</translation>
    </message>
    <message>
        <source>waiting for the code tests</source>
        <translation>en attente des tests de code</translation>
    </message>
    <message>
        <source>no code block in the answer</source>
        <translation>aucun bloc de code dans la réponse</translation>
    </message>
</context>
<context>
    <name>HistoryCommands</name>
    <message>
        <source>Send the cells an interrupted or cancelled run is missing, into that run.</source>
        <translation>Envoyer dans une exécution interrompue ou annulée les cellules qui lui manquent.</translation>
    </message>
    <message>
        <source>Workspace with the run&apos;s providers (keys are never stored).</source>
        <translation>Espace de travail contenant les fournisseurs de l&apos;exécution (les clés ne sont jamais stockées).</translation>
    </message>
    <message>
        <source>file</source>
        <translation>fichier</translation>
    </message>
    <message>
        <source>The run used the demo workspace.</source>
        <translation>L&apos;exécution utilisait l&apos;espace de travail de démonstration.</translation>
    </message>
    <message>
        <source>As for run. May be repeated.</source>
        <translation>Comme pour run. Peut être répété.</translation>
    </message>
    <message>
        <source>gate</source>
        <translation>seuil</translation>
    </message>
    <message>
        <source>Give the id of the run to resume (slopscope-cli resume RUN_ID).</source>
        <translation>Indiquez l&apos;identifiant de l&apos;exécution à reprendre (slopscope-cli resume RUN_ID).</translation>
    </message>
    <message>
        <source>resume continues a run of the history: it needs a database, not --no-db.</source>
        <translation>resume poursuit une exécution de l&apos;historique&#xa0;: il lui faut une base de données, pas --no-db.</translation>
    </message>
    <message>
        <source>Run %1 completed; there is nothing to resume.</source>
        <translation>L&apos;exécution %1 est terminée&#xa0;; il n&apos;y a rien à reprendre.</translation>
    </message>
    <message>
        <source>Run %1 used real providers: give the workspace that defines them (--workspace FILE).</source>
        <translation>L&apos;exécution %1 utilisait de vrais fournisseurs&#xa0;: indiquez l&apos;espace de travail qui les définit (--workspace FILE).</translation>
    </message>
    <message>
        <source>Write a recorded run&apos;s reports again, from the database alone.</source>
        <translation>Réécrire les rapports d&apos;une exécution enregistrée, à partir de la seule base de données.</translation>
    </message>
    <message>
        <source>History database (default: the user&apos;s).</source>
        <translation>Base de données d&apos;historique (par défaut&#xa0;: celle de l&apos;utilisateur).</translation>
    </message>
    <message>
        <source>Give the id of the run to report (slopscope-cli report RUN_ID).</source>
        <translation>Indiquez l&apos;identifiant de l&apos;exécution dont il faut écrire le rapport (slopscope-cli report RUN_ID).</translation>
    </message>
    <message>
        <source>Nothing to write: give --report, --chart, --summary, --csv or --jsonl.</source>
        <translation>Rien à écrire&#xa0;: indiquez --report, --chart, --summary, --csv ou --jsonl.</translation>
    </message>
    <message>
        <source>Add every run of the given databases to one database.</source>
        <translation>Ajouter toutes les exécutions des bases de données indiquées à une seule base de données.</translation>
    </message>
    <message>
        <source>The database to merge into (created if missing).</source>
        <translation>La base de données dans laquelle fusionner (créée si elle n&apos;existe pas).</translation>
    </message>
    <message>
        <source>Usage: slopscope-cli merge SOURCE.sqlite... --db TARGET.sqlite</source>
        <translation>Utilisation&#xa0;: slopscope-cli merge SOURCE.sqlite... --db TARGET.sqlite</translation>
    </message>
    <message>
        <source>Cannot create a temporary folder: %1</source>
        <translation>Impossible de créer un dossier temporaire&#xa0;: %1</translation>
    </message>
    <message>
        <source>%1: run %2 skipped: %3</source>
        <translation>%1&#xa0;: exécution %2 ignorée&#xa0;: %3</translation>
    </message>
    <message>
        <source>Merged %1 run(s) into %2; %3 skipped.</source>
        <translation>%1 exécution(s) fusionnée(s) dans %2&#xa0;; %3 ignorée(s).</translation>
    </message>
    <message>
        <source>Convert a promptfoo configuration, a CSV or a JSONL chat log into a suite.</source>
        <translation>Convertir une configuration promptfoo, un CSV ou un journal de chat JSONL en suite.</translation>
    </message>
    <message>
        <source>The suite file to write.</source>
        <translation>Le fichier de suite à écrire.</translation>
    </message>
    <message>
        <source>suite.json</source>
        <translation>suite-de-tests.json</translation>
    </message>
    <message>
        <source>jsonl: keep N conversations.</source>
        <translation>jsonl&#xa0;: conserver N conversations.</translation>
    </message>
    <message>
        <source>n</source>
        <translation>n</translation>
    </message>
    <message>
        <source>jsonl: seed of the sample and shuffle.</source>
        <translation>jsonl&#xa0;: graine de l&apos;échantillonnage et du mélange.</translation>
    </message>
    <message>
        <source>s</source>
        <translation>graine</translation>
    </message>
    <message>
        <source>jsonl: order the cases by the seed.</source>
        <translation>jsonl&#xa0;: ordonner les cas selon la graine.</translation>
    </message>
    <message>
        <source>jsonl: keep e-mail addresses, phone numbers and key-like strings.</source>
        <translation>jsonl&#xa0;: conserver les adresses e-mail, les numéros de téléphone et les chaînes ressemblant à des clés.</translation>
    </message>
    <message>
        <source>Usage: slopscope-cli import promptfoo|csv|jsonl FILE --out SUITE.json</source>
        <translation>Utilisation&#xa0;: slopscope-cli import promptfoo|csv|jsonl FILE --out SUITE.json</translation>
    </message>
    <message>
        <source>provider %1 → %2%3</source>
        <translation>fournisseur %1 → %2%3</translation>
    </message>
    <message>
        <source>not mapped</source>
        <translation>non repris</translation>
    </message>
    <message>
        <source>--sample takes a whole number of at least 1.</source>
        <translation>--sample attend un nombre entier supérieur ou égal à 1.</translation>
    </message>
    <message>
        <source>--seed takes a whole number.</source>
        <translation>--seed attend un nombre entier.</translation>
    </message>
    <message>
        <source>%1 conversation(s) read, %2 kept</source>
        <translation>%1 conversation(s) lue(s), %2 conservée(s)</translation>
    </message>
    <message>
        <source>Unknown import format &quot;%1&quot;: promptfoo, csv or jsonl.</source>
        <translation>Format d&apos;import &quot;%1&quot; inconnu&#xa0;: promptfoo, csv ou jsonl.</translation>
    </message>
    <message>
        <source>The imported suite does not load back: %1</source>
        <translation>La suite importée ne se recharge pas&#xa0;: %1</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>Impossible d&apos;écrire %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1 case(s) written to %2</source>
        <translation>%1 cas écrit(s) dans %2</translation>
    </message>
    <message>
        <source>List the runs of the history, newest first.</source>
        <translation>Lister les exécutions de l&apos;historique, les plus récentes en premier.</translation>
    </message>
    <message>
        <source>The people&apos;s ratings of this run could not be read, so the report has no judge–human agreement: %1</source>
        <translation>Les évaluations humaines de cette exécution n’ont pas pu être lues ; le rapport ne contient donc pas l’accord juge–humain : %1</translation>
    </message>
</context>
<context>
    <name>HistoryStore</name>
    <message>
        <source>%1 is not an SQLite database (its header is wrong).</source>
        <translation>%1 n&apos;est pas une base de données SQLite (son en-tête est incorrect).</translation>
    </message>
    <message>
        <source>Cannot move %1 aside to %2.</source>
        <translation>Impossible de mettre %1 de côté sous %2.</translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1 (%2)&#xa0;: %3</translation>
    </message>
    <message>
        <source>Cannot create the folder %1 for the history database.</source>
        <translation>Impossible de créer le dossier %1 pour la base de données d&apos;historique.</translation>
    </message>
    <message>
        <source>The folder %1 is read-only, so the history database cannot be written there. Choose another data folder or make this one writable.</source>
        <translation>Le dossier %1 est en lecture seule&#xa0;: la base de données d&apos;historique ne peut pas y être écrite. Choisissez un autre dossier de données ou rendez celui-ci accessible en écriture.</translation>
    </message>
    <message>
        <source>The history database %1 is read-only.</source>
        <translation>La base de données d&apos;historique %1 est en lecture seule.</translation>
    </message>
    <message>
        <source>Cannot open the history database %1 for writing: %2</source>
        <translation>Impossible d&apos;ouvrir la base de données d&apos;historique %1 en écriture&#xa0;: %2</translation>
    </message>
    <message>
        <source>The history database %1 is damaged: %2</source>
        <translation>La base de données d&apos;historique %1 est endommagée&#xa0;: %2</translation>
    </message>
    <message>
        <source>The history database %1 is locked by another program and did not become free within %2 s.</source>
        <translation>La base de données d&apos;historique %1 est verrouillée par un autre programme et ne s&apos;est pas libérée en %2&#xa0;s.</translation>
    </message>
    <message>
        <source>Cannot open the history database %1: %2</source>
        <translation>Impossible d&apos;ouvrir la base de données d&apos;historique %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>Cannot prepare the history database</source>
        <translation>Impossible de préparer la base de données d&apos;historique</translation>
    </message>
    <message>
        <source>There is no history database at %1.</source>
        <translation>Il n&apos;y a pas de base de données d&apos;historique à l&apos;emplacement %1.</translation>
    </message>
    <message>
        <source>Cannot read the history</source>
        <translation>Impossible de lire l&apos;historique</translation>
    </message>
    <message>
        <source>There is no run %1 in the history.</source>
        <translation>L&apos;historique ne contient aucune exécution %1.</translation>
    </message>
    <message>
        <source>Cannot delete the run</source>
        <translation>Impossible de supprimer l&apos;exécution</translation>
    </message>
    <message>
        <source>The backup %1 is not a sound database.</source>
        <translation>La sauvegarde %1 n&apos;est pas une base de données saine.</translation>
    </message>
    <message>
        <source>Cannot copy the backup %1 to %2.</source>
        <translation>Impossible de copier la sauvegarde %1 vers %2.</translation>
    </message>
    <message>
        <source>Cannot check the history</source>
        <translation>Impossible de vérifier l&apos;historique</translation>
    </message>
    <message>
        <source>search index: %1</source>
        <translation>index de recherche&#xa0;: %1</translation>
    </message>
    <message>
        <source>Cannot list the runs</source>
        <translation>Impossible de lister les exécutions</translation>
    </message>
    <message>
        <source>Cannot load the run</source>
        <translation>Impossible de charger l&apos;exécution</translation>
    </message>
    <message>
        <source>Cannot search the history</source>
        <translation>Impossible de rechercher dans l&apos;historique</translation>
    </message>
    <message>
        <source>Cannot read the drift of %1</source>
        <translation>Impossible de lire la dérive de %1</translation>
    </message>
    <message>
        <source>Cannot read the run</source>
        <translation>Impossible de lire l&apos;exécution</translation>
    </message>
    <message>
        <source>Cannot read the ratings</source>
        <translation>Impossible de lire les notes</translation>
    </message>
    <message>
        <source>%1 already exists; choose another name.</source>
        <translation>%1 existe déjà&#xa0;; choisissez un autre nom.</translation>
    </message>
    <message>
        <source>Cannot create %1: %2</source>
        <translation>Impossible de créer %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>Cannot export the run to %1: %2</source>
        <translation>Impossible d&apos;exporter l&apos;exécution vers %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>The history is open read-only.</source>
        <translation>L&apos;historique est ouvert en lecture seule.</translation>
    </message>
    <message>
        <source>%1 is not a Slopscope history file: %2</source>
        <translation>%1 n&apos;est pas un fichier d&apos;historique Slopscope&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1 was exported by a newer version of Slopscope; update Slopscope to import it.</source>
        <translation>%1 a été exporté par une version plus récente de Slopscope&#xa0;; mettez Slopscope à jour pour l&apos;importer.</translation>
    </message>
    <message>
        <source>%1 is not a Slopscope history file.</source>
        <translation>%1 n&apos;est pas un fichier d&apos;historique Slopscope.</translation>
    </message>
    <message>
        <source>Cannot read %1.</source>
        <translation>Impossible de lire %1.</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>Impossible de lire %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>The run %1 is already in the history.</source>
        <translation>L&apos;exécution %1 est déjà dans l&apos;historique.</translation>
    </message>
    <message>
        <source>Cannot import %1: %2</source>
        <translation>Impossible d&apos;importer %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>The history database %1 was damaged (%2). It was moved to %3 and a new, empty history was started.</source>
        <translation>La base de l’historique %1 était endommagée (%2). Elle a été déplacée vers %3 et un nouvel historique vide a été commencé.</translation>
    </message>
    <message>
        <source>There is no backup to restore.</source>
        <translation>Il n’y a aucune sauvegarde à restaurer.</translation>
    </message>
    <message>
        <source>The latest backup, from %1, is %2.</source>
        <translation>La dernière sauvegarde, du %1, est %2.</translation>
    </message>
    <message>
        <source>A write-ahead log beside the history database %1 was written by another history; it was moved to %2 and not applied. The history itself is unchanged.</source>
        <translation>Un journal d&apos;écriture anticipée (WAL) situé à côté de la base de données d&apos;historique %1 a été écrit par un autre historique&#xa0;; il a été déplacé vers %2 et n&apos;a pas été appliqué. L&apos;historique lui-même est inchangé.</translation>
    </message>
    <message>
        <source>Cannot read the arena votes</source>
        <translation>Impossible de lire les votes de l&apos;arène</translation>
    </message>
    <message>
        <source>Cannot read the cell</source>
        <translation>Impossible de lire la cellule</translation>
    </message>
    <message>
        <source>The run has no cell %1.</source>
        <translation>L&apos;exécution n&apos;a pas de cellule %1.</translation>
    </message>
    <message>
        <source>The recorded detail of cell %1 is damaged: %2.</source>
        <translation>Le détail enregistré de la cellule %1 est endommagé : %2.</translation>
    </message>
</context>
<context>
    <name>HtmlReport</name>
    <message>
        <source>Leaderboard</source>
        <translation>Classement</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Cible</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>Qualité</translation>
    </message>
    <message>
        <source>Brittleness</source>
        <translation>Fragilité</translation>
    </message>
    <message>
        <source>$ per 1k cases</source>
        <translation>$ pour 1&#xa0;000 cas</translation>
    </message>
    <message>
        <source>Total cost</source>
        <translation>Coût total</translation>
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
        <translation>Décodage tok/s p50</translation>
    </message>
    <message>
        <source>Latency p50</source>
        <translation>Latence p50</translation>
    </message>
    <message>
        <source>Latency p95</source>
        <translation>Latence p95</translation>
    </message>
    <message>
        <source>Error rate</source>
        <translation>Taux d&apos;erreur</translation>
    </message>
    <message>
        <source>Answers ok</source>
        <translation>Réponses OK</translation>
    </message>
    <message>
        <source>not measured</source>
        <translation>non mesuré</translation>
    </message>
    <message>
        <source>%1 of %2 passed</source>
        <translation>%1 sur %2 ont réussi</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <source>Rewording %1 (%2)</source>
        <translation>Reformulation %1 (%2)</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Référence</translation>
    </message>
    <message>
        <source>the reference</source>
        <translation>la référence</translation>
    </message>
    <message>
        <source>score %1</source>
        <translation>score&#xa0;: %1</translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation>Raisonnement</translation>
    </message>
    <message>
        <source>Word diff against %1:</source>
        <translation>Différences mot à mot par rapport à %1&#xa0;:</translation>
    </message>
    <message>
        <source>(too long to diff)</source>
        <translation>(trop long pour être comparé)</translation>
    </message>
    <message>
        <source>Methodology</source>
        <translation>Méthodologie</translation>
    </message>
    <message>
        <source>Definitions</source>
        <translation>Définitions</translation>
    </message>
    <message>
        <source>Run conditions</source>
        <translation>Conditions d&apos;exécution</translation>
    </message>
    <message>
        <source>Prices</source>
        <translation>Prix</translation>
    </message>
    <message>
        <source>No catalogue price was overridden by the workspace.</source>
        <translation>Aucun prix du catalogue n&apos;a été remplacé par l&apos;espace de travail.</translation>
    </message>
    <message>
        <source>Prices the workspace set over the catalogue&apos;s:</source>
        <translation>Prix définis par l&apos;espace de travail à la place de ceux du catalogue&#xa0;:</translation>
    </message>
    <message>
        <source>Run %1 · started %2 · ended %3 · Slopscope %4</source>
        <translation>Exécution %1 · début %2 · fin %3 · Slopscope %4</translation>
    </message>
    <message>
        <source>Price and quality</source>
        <translation>Prix et qualité</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>Cas</translation>
    </message>
    <message>
        <source>Each target&apos;s answer to the canonical wording (first repeat), with a word diff; every sample is in the CSV and JSONL exports.</source>
        <translation>La réponse de chaque cible à la formulation canonique (première répétition), avec les différences mot à mot&#xa0;; tous les échantillons figurent dans les exports CSV et JSONL.</translation>
    </message>
    <message numerus="yes">
        <source>Chain: %n turn(s)</source>
        <translation>
            <numerusform>Chaîne : %n tour</numerusform>
            <numerusform>Chaîne : %n tours</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HumanReview</name>
    <message>
        <source>A rating needs the answer it rates.</source>
        <translation>Une note a besoin de la réponse qu&apos;elle évalue.</translation>
    </message>
    <message>
        <source>A rating has 1 to 5 stars, not %1.</source>
        <translation>Une note compte de 1 à 5 étoiles, pas %1.</translation>
    </message>
</context>
<context>
    <name>Json</name>
    <message>
        <source>%1:%2:%3: invalid JSON: %4</source>
        <translation>%1:%2:%3&#xa0;: JSON non valide&#xa0;: %4</translation>
    </message>
    <message>
        <source>%1: missing (a string is required)</source>
        <translation>%1&#xa0;: manquant (une chaîne est requise)</translation>
    </message>
    <message>
        <source>%1: expected a string</source>
        <translation>%1 : chaîne attendue</translation>
    </message>
    <message>
        <source>%1: missing (a number is required)</source>
        <translation>%1&#xa0;: manquant (un nombre est requis)</translation>
    </message>
    <message>
        <source>%1: expected a number</source>
        <translation>%1&#xa0;: nombre attendu</translation>
    </message>
    <message>
        <source>%1: missing (an integer is required)</source>
        <translation>%1&#xa0;: manquant (un entier est requis)</translation>
    </message>
    <message>
        <source>%1: expected an integer</source>
        <translation>%1&#xa0;: entier attendu</translation>
    </message>
    <message>
        <source>%1: %2 is out of range (%3 to %4)</source>
        <translation>%1&#xa0;: %2 est hors limites (%3 à %4)</translation>
    </message>
    <message>
        <source>%1: missing (true or false is required)</source>
        <translation>%1&#xa0;: manquant (true ou false est requis)</translation>
    </message>
    <message>
        <source>%1: expected true or false</source>
        <translation>%1&#xa0;: true ou false attendu</translation>
    </message>
    <message>
        <source>%1: missing</source>
        <translation>%1&#xa0;: manquant</translation>
    </message>
    <message>
        <source>an array</source>
        <translation>un tableau</translation>
    </message>
    <message>
        <source>an object</source>
        <translation>un objet</translation>
    </message>
    <message>
        <source>%1: expected %2</source>
        <translation>%1&#xa0;: on attendait %2</translation>
    </message>
    <message>
        <source>%1: unknown key (expected one of: %2)</source>
        <translation>%1&#xa0;: clé inconnue (clés attendues&#xa0;: %2)</translation>
    </message>
    <message>
        <source>%1: invalid JSON: %2</source>
        <translation>%1 : JSON invalide : %2</translation>
    </message>
</context>
<context>
    <name>JsonSchema</name>
    <message>
        <source>the schema nests (or refers to itself) too deeply</source>
        <translation>le schéma s&apos;imbrique (ou se référence lui-même) trop profondément</translation>
    </message>
    <message>
        <source>no value is allowed here</source>
        <translation>aucune valeur n&apos;est autorisée ici</translation>
    </message>
    <message>
        <source>the schema is not an object</source>
        <translation>le schéma n&apos;est pas un objet</translation>
    </message>
    <message>
        <source>unresolvable $ref %1</source>
        <translation>$ref %1 impossible à résoudre</translation>
    </message>
    <message>
        <source>expected one of %1</source>
        <translation>attendu&#xa0;: l&apos;une des valeurs %1</translation>
    </message>
    <message>
        <source>expected %1</source>
        <translation>attendu&#xa0;: %1</translation>
    </message>
    <message>
        <source>expected %1, got %2</source>
        <translation>attendu&#xa0;: %1, obtenu&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1 is less than the minimum %2</source>
        <translation>%1 est inférieur au minimum %2</translation>
    </message>
    <message>
        <source>%1 is more than the maximum %2</source>
        <translation>%1 est supérieur au maximum %2</translation>
    </message>
    <message>
        <source>%1 is not more than %2</source>
        <translation>%1 n&apos;est pas supérieur à %2</translation>
    </message>
    <message>
        <source>%1 is not less than %2</source>
        <translation>%1 n&apos;est pas inférieur à %2</translation>
    </message>
    <message>
        <source>%1 is not a multiple of %2</source>
        <translation>%1 n&apos;est pas un multiple de %2</translation>
    </message>
    <message>
        <source>shorter than %1 characters</source>
        <translation>moins de %1 caractères</translation>
    </message>
    <message>
        <source>longer than %1 characters</source>
        <translation>plus de %1 caractères</translation>
    </message>
    <message>
        <source>the schema&apos;s pattern is not a valid regular expression</source>
        <translation>le motif du schéma n&apos;est pas une expression régulière valide</translation>
    </message>
    <message>
        <source>does not match the pattern %1</source>
        <translation>ne correspond pas au motif %1</translation>
    </message>
    <message>
        <source>fewer than %1 items</source>
        <translation>moins de %1 éléments</translation>
    </message>
    <message>
        <source>more than %1 items</source>
        <translation>plus de %1 éléments</translation>
    </message>
    <message>
        <source>the items are not unique</source>
        <translation>les éléments ne sont pas uniques</translation>
    </message>
    <message>
        <source>no item matches &quot;contains&quot;</source>
        <translation>aucun élément ne correspond à &quot;contains&quot;</translation>
    </message>
    <message>
        <source>fewer than %1 properties</source>
        <translation>moins de %1 propriétés</translation>
    </message>
    <message>
        <source>more than %1 properties</source>
        <translation>plus de %1 propriétés</translation>
    </message>
    <message>
        <source>missing required property &quot;%1&quot;</source>
        <translation>propriété requise &quot;%1&quot; manquante</translation>
    </message>
    <message>
        <source>property &quot;%1&quot; is not allowed</source>
        <translation>la propriété &quot;%1&quot; n&apos;est pas autorisée</translation>
    </message>
    <message>
        <source>matches none of &quot;anyOf&quot; (first: %1)</source>
        <translation>ne correspond à aucun des schémas de &quot;anyOf&quot; (premier&#xa0;: %1)</translation>
    </message>
    <message>
        <source>matches %1 of &quot;oneOf&quot; (exactly one is required)</source>
        <translation>correspond à %1 schémas de &quot;oneOf&quot; (exactement un est requis)</translation>
    </message>
    <message>
        <source>matches the schema under &quot;not&quot;</source>
        <translation>correspond au schéma sous &quot;not&quot;</translation>
    </message>
</context>
<context>
    <name>JsonlImporter</name>
    <message>
        <source>%1: expected a string or a list of content parts</source>
        <translation>%1&#xa0;: chaîne ou liste de parties de contenu attendue</translation>
    </message>
    <message>
        <source>%1: expected an object with a &quot;type&quot;</source>
        <translation>%1&#xa0;: objet attendu avec un &quot;type&quot;</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; content cannot be replayed (text only)</source>
        <translation>%1&#xa0;: le contenu &quot;%2&quot; ne peut pas être rejoué (texte uniquement)</translation>
    </message>
    <message>
        <source>%1.text: expected a string</source>
        <translation>%1.text&#xa0;: chaîne attendue</translation>
    </message>
    <message>
        <source>expected an object with &quot;messages&quot;</source>
        <translation>objet attendu avec &quot;messages&quot;</translation>
    </message>
    <message>
        <source>messages: a non-empty list of messages is required</source>
        <translation>messages&#xa0;: une liste non vide de messages est requise</translation>
    </message>
    <message>
        <source>id: expected a non-empty string</source>
        <translation>id&#xa0;: chaîne non vide attendue</translation>
    </message>
    <message>
        <source>metadata: expected an object</source>
        <translation>metadata&#xa0;: objet attendu</translation>
    </message>
    <message>
        <source>%1: expected an object with &quot;role&quot; and &quot;content&quot;</source>
        <translation>%1&#xa0;: objet attendu avec &quot;role&quot; et &quot;content&quot;</translation>
    </message>
    <message>
        <source>%1.role: expected a string</source>
        <translation>%1.role&#xa0;: chaîne attendue</translation>
    </message>
    <message>
        <source>%1.role: &quot;%2&quot; messages cannot be replayed yet</source>
        <translation>%1.role&#xa0;: les messages &quot;%2&quot; ne peuvent pas encore être rejoués</translation>
    </message>
    <message>
        <source>%1.role: &quot;%2&quot; is not a role (system, developer, user or assistant)</source>
        <translation>%1.role&#xa0;: &quot;%2&quot; n&apos;est pas un rôle (system, developer, user ou assistant)</translation>
    </message>
    <message>
        <source>%1.tool_calls: tool calls inside a conversation cannot be replayed yet</source>
        <translation>%1.tool_calls&#xa0;: les appels d&apos;outils au sein d&apos;une conversation ne peuvent pas encore être rejoués</translation>
    </message>
    <message>
        <source>%1.content: missing</source>
        <translation>%1.content&#xa0;: manquant</translation>
    </message>
    <message>
        <source>messages: the conversation must end with a user message (a final assistant message is the logged answer)</source>
        <translation>messages&#xa0;: la conversation doit se terminer par un message utilisateur (un message assistant final est la réponse journalisée)</translation>
    </message>
    <message>
        <source>%1:%2:%3: not valid JSON: %4</source>
        <translation>%1:%2:%3&#xa0;: JSON non valide&#xa0;: %4</translation>
    </message>
    <message>
        <source>%1:%2: id: duplicate case id &quot;%3&quot;</source>
        <translation>%1:%2&#xa0;: id&#xa0;: identifiant de cas en double &quot;%3&quot;</translation>
    </message>
    <message>
        <source>%1: no conversation to replay</source>
        <translation>%1&#xa0;: aucune conversation à rejouer</translation>
    </message>
    <message>
        <source>%1: the sample must hold at least one line</source>
        <translation>%1&#xa0;: l&apos;échantillon doit contenir au moins une ligne</translation>
    </message>
    <message>
        <source>Shadow traffic from %1: %2 of %3 conversation(s)</source>
        <translation>Trafic fantôme de %1&#xa0;: %2 conversation(s) sur %3</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>Impossible d&apos;ouvrir %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1: the file is too large (the limit is %2 MiB)</source>
        <translation>%1&#xa0;: le fichier est trop volumineux (la limite est de %2&#xa0;Mio)</translation>
    </message>
    <message>
        <source>%1:%2: not valid JSON: %3</source>
        <translation>%1:%2 : JSON non valide : %3</translation>
    </message>
</context>
<context>
    <name>JudgeGrade</name>
    <message>
        <source>(no reason given)</source>
        <translation>(aucune raison donnée)</translation>
    </message>
    <message>
        <source>not: judge: %1</source>
        <translation>non&#xa0;: juge&#xa0;: %1</translation>
    </message>
    <message>
        <source>judge: %1</source>
        <translation>juge&#xa0;: %1</translation>
    </message>
    <message>
        <source>judge error: %1</source>
        <translation>erreur du juge&#xa0;: %1</translation>
    </message>
    <message>
        <source>chosen as the best of %1 answers, in both orders: %2</source>
        <translation>choisie comme la meilleure parmi %1 réponses, dans les deux ordres&#xa0;: %2</translation>
    </message>
    <message>
        <source>not chosen; the judge picked another of %1 answers in both orders: %2</source>
        <translation>non choisie&#xa0;; le juge a retenu une autre des %1 réponses dans les deux ordres&#xa0;: %2</translation>
    </message>
    <message>
        <source>tie/inconsistent: the judge picked differently when the positions were swapped (%1)</source>
        <translation>égalité/incohérence&#xa0;: le juge a choisi différemment quand les positions ont été inversées (%1)</translation>
    </message>
    <message>
        <source>not graded (%1)</source>
        <translation>non évalué (%1)</translation>
    </message>
</context>
<context>
    <name>JudgePrompt</name>
    <message>
        <source>select-best needs at least two answers</source>
        <translation>select-best nécessite au moins deux réponses</translation>
    </message>
    <message>
        <source>select-best compares at most %1 answers, not %2</source>
        <translation>select-best compare au plus %1 réponses, pas %2</translation>
    </message>
</context>
<context>
    <name>JudgeTemplates</name>
    <message>
        <source>expected an object of judge templates</source>
        <translation>objet de gabarits de juge attendu</translation>
    </message>
    <message>
        <source>%1: unknown key (expected llm-rubric, factuality or select-best)</source>
        <translation>%1&#xa0;: clé inconnue (llm-rubric, factuality ou select-best attendu)</translation>
    </message>
    <message>
        <source>%1: expected an object with &quot;user&quot; and optionally &quot;system&quot;</source>
        <translation>%1&#xa0;: objet attendu avec &quot;user&quot; et éventuellement &quot;system&quot;</translation>
    </message>
    <message>
        <source>%1.%2: unknown key (expected system or user)</source>
        <translation>%1.%2&#xa0;: clé inconnue (system ou user attendu)</translation>
    </message>
    <message>
        <source>%1.user: the template needs the placeholder {{%2}}</source>
        <translation>%1.user&#xa0;: le gabarit doit contenir l&apos;espace réservé {{%2}}</translation>
    </message>
    <message>
        <source>%1: cannot read: %2</source>
        <translation>%1&#xa0;: lecture impossible&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1: too large for a judge template file (at most 1 MiB)</source>
        <translation>%1&#xa0;: trop volumineux pour un fichier de gabarits de juge (1&#xa0;Mio au maximum)</translation>
    </message>
</context>
<context>
    <name>JudgeVerdict</name>
    <message>
        <source>the judge&apos;s answer is empty</source>
        <translation>la réponse du juge est vide</translation>
    </message>
    <message>
        <source>the judge&apos;s answer is too long (%1 characters)</source>
        <translation>la réponse du juge est trop longue (%1 caractères)</translation>
    </message>
    <message>
        <source>no JSON verdict in the judge&apos;s answer (&quot;%1&quot;)</source>
        <translation>aucun verdict JSON dans la réponse du juge (&quot;%1&quot;)</translation>
    </message>
    <message>
        <source>the verdict has no score</source>
        <translation>le verdict ne contient pas de score</translation>
    </message>
    <message>
        <source>the verdict&apos;s score is not a number (%1)</source>
        <translation>le score du verdict n&apos;est pas un nombre (%1)</translation>
    </message>
    <message>
        <source>the verdict&apos;s score %1 is outside 0 to 1</source>
        <translation>le score %1 du verdict est en dehors de l&apos;intervalle 0 à 1</translation>
    </message>
    <message>
        <source>the verdict&apos;s pass is not true or false (%1)</source>
        <translation>le champ pass du verdict n&apos;est ni true ni false (%1)</translation>
    </message>
    <message>
        <source>the verdict&apos;s reason is not a string</source>
        <translation>le champ reason du verdict n&apos;est pas une chaîne</translation>
    </message>
</context>
<context>
    <name>KeyCommands</name>
    <message>
        <source>Key (input hidden): </source>
        <translation>Clé (saisie masquée)&#xa0;: </translation>
    </message>
    <message>
        <source>Usage: slopscope-cli keys set NAME  (the key is read from stdin; NAME is the provider&apos;s api_key_env, e.g. OPENAI_API_KEY)</source>
        <translation>Utilisation&#xa0;: slopscope-cli keys set NAME  (la clé est lue sur l&apos;entrée standard&#xa0;; NAME est le api_key_env du fournisseur, par ex. OPENAI_API_KEY)</translation>
    </message>
    <message>
        <source>No key on stdin; nothing was saved.</source>
        <translation>Aucune clé sur l&apos;entrée standard&#xa0;; rien n&apos;a été enregistré.</translation>
    </message>
    <message>
        <source>Saved %1 in the system keychain.</source>
        <translation>Clé %1 enregistrée dans le trousseau du système.</translation>
    </message>
    <message>
        <source>Could not save %1 in the system keychain: %2</source>
        <translation>Impossible d&apos;enregistrer %1 dans le trousseau du système&#xa0;: %2</translation>
    </message>
    <message>
        <source>The key was not stored anywhere. Set the environment variable %1 instead.</source>
        <translation>La clé n&apos;a été stockée nulle part. Définissez plutôt la variable d&apos;environnement %1.</translation>
    </message>
    <message>
        <source>Usage: slopscope-cli keys remove NAME</source>
        <translation>Utilisation&#xa0;: slopscope-cli keys remove NAME</translation>
    </message>
    <message>
        <source>Removed %1 from the system keychain.</source>
        <translation>Clé %1 supprimée du trousseau du système.</translation>
    </message>
    <message>
        <source>The system keychain holds no key named %1.</source>
        <translation>Le trousseau du système ne contient aucune clé nommée %1.</translation>
    </message>
    <message>
        <source>Could not remove %1 from the system keychain: %2</source>
        <translation>Impossible de supprimer %1 du trousseau du système&#xa0;: %2</translation>
    </message>
    <message>
        <source>--workspace needs a file.</source>
        <translation>--workspace attend un fichier.</translation>
    </message>
    <message>
        <source>Usage: slopscope-cli keys status [--workspace FILE | --demo] [NAME...]</source>
        <translation>Utilisation&#xa0;: slopscope-cli keys status [--workspace FILE | --demo] [NAME...]</translation>
    </message>
    <message>
        <source>No key names: give --workspace FILE, --demo or NAME...</source>
        <translation>Aucun nom de clé&#xa0;: indiquez --workspace FILE, --demo ou NAME...</translation>
    </message>
    <message>
        <source>environment</source>
        <translation>environnement</translation>
    </message>
    <message>
        <source>keychain</source>
        <translation>trousseau</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>absente</translation>
    </message>
    <message>
        <source>missing (keychain: %1)</source>
        <translation>absente (trousseau&#xa0;: %1)</translation>
    </message>
    <message>
        <source>(simulated providers need none)</source>
        <translation>(les fournisseurs simulés n&apos;en ont pas besoin)</translation>
    </message>
    <message>
        <source>Keychain: no key for %1: %2</source>
        <translation>Trousseau&#xa0;: aucune clé pour %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>Usage: slopscope-cli keys allow-host NAME HOST  (HOST as in the provider&apos;s base URL, e.g. api.openai.com)</source>
        <translation>Utilisation : slopscope-cli keys allow-host NAME HOST  (HOST tel qu&apos;il figure dans l&apos;URL de base du fournisseur, p. ex. api.openai.com)</translation>
    </message>
    <message>
        <source>%1 may now be sent to: %2</source>
        <translation>%1 peut désormais être envoyé à : %2</translation>
    </message>
    <message>
        <source>Usage: slopscope-cli keys set NAME | remove NAME | allow-host NAME HOST | status [--workspace FILE | --demo] [NAME...]</source>
        <translation>Utilisation : slopscope-cli keys set NAME | remove NAME | allow-host NAME HOST | status [--workspace FILE | --demo] [NAME...]</translation>
    </message>
</context>
<context>
    <name>KeyStore</name>
    <message>
        <source>No key named %1 is stored.</source>
        <translation>Aucune clé nommée %1 n&apos;est enregistrée.</translation>
    </message>
    <message>
        <source>No keychain service is available (no session bus or no secret service running).</source>
        <translation>Aucun service de trousseau n&apos;est disponible (pas de bus de session ou aucun service de secrets en cours d&apos;exécution).</translation>
    </message>
    <message>
        <source>The keychain is locked.</source>
        <translation>Le trousseau est verrouillé.</translation>
    </message>
    <message>
        <source>Access to the keychain was denied.</source>
        <translation>L&apos;accès au trousseau a été refusé.</translation>
    </message>
    <message>
        <source>Keychain not responding.</source>
        <translation>Le trousseau ne répond pas.</translation>
    </message>
    <message>
        <source>The keychain failed.</source>
        <translation>Échec du trousseau.</translation>
    </message>
</context>
<context>
    <name>MarkdownReport</name>
    <message>
        <source>Leaderboard</source>
        <translation>Classement</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Cible</translation>
    </message>
    <message>
        <source>Quality (95% interval)</source>
        <translation>Qualité (intervalle à 95 %)</translation>
    </message>
    <message>
        <source>Brittleness</source>
        <translation>Fragilité</translation>
    </message>
    <message>
        <source>$/1k cases</source>
        <translation>$/1&#xa0;000 cas</translation>
    </message>
    <message>
        <source>TTFT p50</source>
        <translation>TTFT p50</translation>
    </message>
    <message>
        <source>Decode tok/s p50</source>
        <translation>Décodage tok/s p50</translation>
    </message>
    <message>
        <source>Error rate</source>
        <translation>Taux d&apos;erreur</translation>
    </message>
    <message>
        <source>n</source>
        <translation>n</translation>
    </message>
    <message>
        <source>not measured</source>
        <translation>non mesuré</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>Cas</translation>
    </message>
    <message>
        <source>Each target&apos;s answer to the canonical wording (first repeat); every sample is in the CSV and JSONL exports.</source>
        <translation>La réponse de chaque cible à la formulation canonique (première répétition)&#xa0;; tous les échantillons figurent dans les exports CSV et JSONL.</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Référence</translation>
    </message>
    <message>
        <source>score %1</source>
        <translation>score&#xa0;: %1</translation>
    </message>
    <message>
        <source>Methodology</source>
        <translation>Méthodologie</translation>
    </message>
    <message>
        <source>Definitions</source>
        <translation>Définitions</translation>
    </message>
    <message>
        <source>Run conditions</source>
        <translation>Conditions d&apos;exécution</translation>
    </message>
    <message>
        <source>Prices</source>
        <translation>Prix</translation>
    </message>
    <message>
        <source>No catalogue price was overridden by the workspace.</source>
        <translation>Aucun prix du catalogue n&apos;a été remplacé par l&apos;espace de travail.</translation>
    </message>
    <message>
        <source>Prices the workspace set over the catalogue&apos;s:</source>
        <translation>Prix définis par l&apos;espace de travail à la place de ceux du catalogue&#xa0;:</translation>
    </message>
    <message numerus="yes">
        <source>Chain: %n turn(s)</source>
        <translation>
            <numerusform>Chaîne : %n tour</numerusform>
            <numerusform>Chaîne : %n tours</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PairwiseJudgement</name>
    <message>
        <source>first ask: %1</source>
        <translation>première demande&#xa0;: %1</translation>
    </message>
    <message>
        <source>swapped ask: %1</source>
        <translation>demande inversée&#xa0;: %1</translation>
    </message>
    <message>
        <source>a pick is outside the answers shown</source>
        <translation>un choix est en dehors des réponses affichées</translation>
    </message>
</context>
<context>
    <name>PdfReport</name>
    <message>
        <source>Run %1 · started %2 · ended %3 · Slopscope %4</source>
        <translation>Exécution %1 · début %2 · fin %3 · Slopscope %4</translation>
    </message>
    <message>
        <source>Leaderboard</source>
        <translation>Classement</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Cible</translation>
    </message>
    <message>
        <source>Quality [95% interval]</source>
        <translation>Qualité [intervalle à 95&#xa0;%]</translation>
    </message>
    <message>
        <source>Brittleness</source>
        <translation>Fragilité</translation>
    </message>
    <message>
        <source>$ / 1k cases</source>
        <translation>$ / 1&#xa0;000 cas</translation>
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
        <translation>Latence p95</translation>
    </message>
    <message>
        <source>Error rate</source>
        <translation>Taux d&apos;erreur</translation>
    </message>
    <message>
        <source>n</source>
        <translation>n</translation>
    </message>
    <message>
        <source>not measured</source>
        <translation>non mesuré</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>Cas</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Référence</translation>
    </message>
    <message>
        <source>score %1</source>
        <translation>score&#xa0;: %1</translation>
    </message>
    <message>
        <source>Methodology</source>
        <translation>Méthodologie</translation>
    </message>
    <message>
        <source>Definitions</source>
        <translation>Définitions</translation>
    </message>
    <message>
        <source>Run conditions</source>
        <translation>Conditions d&apos;exécution</translation>
    </message>
    <message>
        <source>Prices</source>
        <translation>Prix</translation>
    </message>
    <message>
        <source>No catalogue price was overridden by the workspace.</source>
        <translation>Aucun prix du catalogue n&apos;a été remplacé par l&apos;espace de travail.</translation>
    </message>
    <message>
        <source>Prices the workspace set over the catalogue&apos;s:</source>
        <translation>Prix définis par l&apos;espace de travail à la place de ceux du catalogue&#xa0;:</translation>
    </message>
    <message>
        <source>Writing a PDF needs the graphical application (a QGuiApplication).</source>
        <translation>L&apos;écriture d&apos;un PDF nécessite l&apos;application graphique (une QGuiApplication).</translation>
    </message>
    <message>
        <source>The PDF writer could not start.</source>
        <translation>Le générateur PDF n&apos;a pas pu démarrer.</translation>
    </message>
    <message numerus="yes">
        <source>Chain: %n turn(s)</source>
        <translation>
            <numerusform>Chaîne : %n tour</numerusform>
            <numerusform>Chaîne : %n tours</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PriceCatalogue</name>
    <message>
        <source>unknown catalogue</source>
        <translation>catalogue inconnu</translation>
    </message>
    <message>
        <source>%1:%2:%3: invalid JSON: %4</source>
        <translation>%1:%2:%3&#xa0;: JSON non valide&#xa0;: %4</translation>
    </message>
    <message>
        <source>%1: expected a JSON object of models</source>
        <translation>%1&#xa0;: objet JSON de modèles attendu</translation>
    </message>
    <message>
        <source>%1: expected a JSON object {&quot;source&quot;, &quot;commit&quot;, &quot;date&quot;}</source>
        <translation>%1&#xa0;: objet JSON {&quot;source&quot;, &quot;commit&quot;, &quot;date&quot;} attendu</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; must be a non-empty string</source>
        <translation>%1&#xa0;: &quot;%2&quot; doit être une chaîne non vide</translation>
    </message>
    <message>
        <source>%1: the bundled price catalogue is missing</source>
        <translation>%1&#xa0;: le catalogue de prix intégré est manquant</translation>
    </message>
    <message>
        <source>%1: the bundled price table is missing</source>
        <translation>%1&#xa0;: la table de prix intégrée est manquante</translation>
    </message>
    <message>
        <source>%1: expected an object of model keys</source>
        <translation>%1&#xa0;: objet de clés de modèle attendu</translation>
    </message>
    <message>
        <source>%1: %2: expected an object of prices</source>
        <translation>%1&#xa0;: %2&#xa0;: objet de prix attendu</translation>
    </message>
    <message>
        <source>%1: unknown price field (expected input_per_mtok, output_per_mtok, cached_input_per_mtok, cache_write_per_mtok or reasoning_per_mtok)</source>
        <translation>%1&#xa0;: champ de prix inconnu (input_per_mtok, output_per_mtok, cached_input_per_mtok, cache_write_per_mtok ou reasoning_per_mtok attendu)</translation>
    </message>
    <message>
        <source>%1: a price cannot be negative</source>
        <translation>%1&#xa0;: un prix ne peut pas être négatif</translation>
    </message>
</context>
<context>
    <name>PromptfooImporter</name>
    <message>
        <source>OpenAI %1 endpoints are not chat; not mapped</source>
        <translation>les points de terminaison OpenAI %1 ne sont pas de type chat&#xa0;; non repris</translation>
    </message>
    <message>
        <source>Anthropic&apos;s legacy completion API is not supported; not mapped</source>
        <translation>l&apos;ancienne API de complétion d&apos;Anthropic n&apos;est pas prise en charge&#xa0;; non repris</translation>
    </message>
    <message>
        <source>Vertex AI speaks Gemini&apos;s format; set your project&apos;s endpoint as the base URL</source>
        <translation>Vertex AI utilise le format de Gemini&#xa0;; indiquez le point de terminaison de votre projet comme URL de base</translation>
    </message>
    <message>
        <source>Ollama embeddings are not chat; not mapped</source>
        <translation>les embeddings Ollama ne sont pas de type chat&#xa0;; non repris</translation>
    </message>
    <message>
        <source>runs through Ollama&apos;s chat API instead of /api/generate</source>
        <translation>passe par l&apos;API de chat d&apos;Ollama au lieu de /api/generate</translation>
    </message>
    <message>
        <source>Azure OpenAI: set your resource&apos;s deployment URL as the base URL</source>
        <translation>Azure OpenAI&#xa0;: indiquez l&apos;URL de déploiement de votre ressource comme URL de base</translation>
    </message>
    <message>
        <source>Slopscope cannot call &quot;%1&quot; providers; not mapped</source>
        <translation>Slopscope ne peut pas appeler les fournisseurs &quot;%1&quot;&#xa0;; non repris</translation>
    </message>
    <message>
        <source>no model named; not mapped</source>
        <translation>aucun modèle nommé&#xa0;; non repris</translation>
    </message>
    <message>
        <source>a promptfoo configuration must be a mapping (prompts, providers, tests)</source>
        <translation>une configuration promptfoo doit être un mappage (prompts, providers, tests)</translation>
    </message>
    <message>
        <source>the key &quot;%1&quot; is not imported</source>
        <translation>la clé &quot;%1&quot; n&apos;est pas importée</translation>
    </message>
    <message>
        <source>expected a string</source>
        <translation>chaîne attendue</translation>
    </message>
    <message>
        <source>scenarios are not imported; only tests are</source>
        <translation>les scénarios ne sont pas importés&#xa0;; seuls les tests le sont</translation>
    </message>
    <message>
        <source>custom nunjucks filters are not imported</source>
        <translation>les filtres nunjucks personnalisés ne sont pas importés</translation>
    </message>
    <message>
        <source>at least one prompt is required</source>
        <translation>au moins une invite est requise</translation>
    </message>
    <message>
        <source>the configuration yields no test</source>
        <translation>la configuration ne produit aucun test</translation>
    </message>
    <message>
        <source>nested too deeply</source>
        <translation>imbrication trop profonde</translation>
    </message>
    <message>
        <source>the configuration is too large once its aliases are expanded (more than %1 values)</source>
        <translation>la configuration est trop volumineuse une fois ses alias développés (plus de %1 valeurs)</translation>
    </message>
    <message>
        <source>keys must be plain strings</source>
        <translation>les clés doivent être de simples chaînes</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>impossible de lire %1 : %2</translation>
    </message>
    <message>
        <source>%1 is too large</source>
        <translation>%1 est trop volumineux</translation>
    </message>
    <message>
        <source>no file %1</source>
        <translation>aucun fichier %1</translation>
    </message>
    <message>
        <source>no file matches %1</source>
        <translation>aucun fichier ne correspond à %1</translation>
    </message>
    <message>
        <source>a chat prompt must be a list of {&quot;role&quot;, &quot;content&quot;} messages</source>
        <translation>une invite de chat doit être une liste de messages {&quot;role&quot;, &quot;content&quot;}</translation>
    </message>
    <message>
        <source>the prompt is empty</source>
        <translation>l&apos;invite est vide</translation>
    </message>
    <message>
        <source>nunjucks tags ({% … %}) are not supported; only {{var}} placeholders are</source>
        <translation>les balises nunjucks ({% … %}) ne sont pas prises en charge&#xa0;; seuls les espaces réservés {{var}} le sont</translation>
    </message>
    <message>
        <source>nunjucks filters ({{ var | filter }}) are not supported</source>
        <translation>les filtres nunjucks ({{ var | filter }}) ne sont pas pris en charge</translation>
    </message>
    <message>
        <source>prompt functions (%1) cannot be imported; use text or chat prompts</source>
        <translation>les fonctions d&apos;invite (%1) ne peuvent pas être importées&#xa0;; utilisez des invites texte ou chat</translation>
    </message>
    <message>
        <source>%1 is not valid JSON</source>
        <translation>%1 n&apos;est pas du JSON valide</translation>
    </message>
    <message>
        <source>%1:%2: %3</source>
        <translation>%1:%2&#xa0;: %3</translation>
    </message>
    <message>
        <source>%1 must hold a list of {&quot;role&quot;, &quot;content&quot;} messages</source>
        <translation>%1 doit contenir une liste de messages {&quot;role&quot;, &quot;content&quot;}</translation>
    </message>
    <message>
        <source>%1:%2: expected a list of {&quot;role&quot;, &quot;content&quot;} messages</source>
        <translation>%1:%2&#xa0;: liste de messages {&quot;role&quot;, &quot;content&quot;} attendue</translation>
    </message>
    <message>
        <source>expected a prompt or a list of prompts</source>
        <translation>invite ou liste d&apos;invites attendue</translation>
    </message>
    <message>
        <source>expected a string or {raw|id, label}</source>
        <translation>chaîne ou {raw|id, label} attendu</translation>
    </message>
    <message>
        <source>expected chat messages</source>
        <translation>messages de chat attendus</translation>
    </message>
    <message>
        <source>a prompt object needs &quot;raw&quot; or &quot;id&quot;</source>
        <translation>un objet d&apos;invite nécessite &quot;raw&quot; ou &quot;id&quot;</translation>
    </message>
    <message>
        <source>expected a mapping</source>
        <translation>mappage attendu</translation>
    </message>
    <message>
        <source>%1: the API key in the configuration is not imported; Slopscope reads keys from the environment</source>
        <translation>%1&#xa0;: la clé API de la configuration n&apos;est pas importée&#xa0;; Slopscope lit les clés dans l&apos;environnement</translation>
    </message>
    <message>
        <source>expected a provider id or a list of providers</source>
        <translation>identifiant de fournisseur ou liste de fournisseurs attendu</translation>
    </message>
    <message>
        <source>expected a provider id or {id, label, config}</source>
        <translation>identifiant de fournisseur ou {id, label, config} attendu</translation>
    </message>
    <message>
        <source>a provider object needs an &quot;id&quot;</source>
        <translation>un objet fournisseur nécessite un &quot;id&quot;</translation>
    </message>
    <message>
        <source>tests from %1 cannot be imported (YAML, JSON, JSONL or CSV only)</source>
        <translation>les tests de %1 ne peuvent pas être importés (YAML, JSON, JSONL ou CSV uniquement)</translation>
    </message>
    <message>
        <source>expected a list of tests</source>
        <translation>liste de tests attendue</translation>
    </message>
    <message>
        <source>%1 field(s), but the header has %2</source>
        <translation>%1 champ(s), mais l&apos;en-tête en compte %2</translation>
    </message>
    <message>
        <source>expected a number</source>
        <translation>nombre attendu</translation>
    </message>
    <message>
        <source>the CSV column &quot;%1&quot; is not imported</source>
        <translation>la colonne CSV &quot;%1&quot; n&apos;est pas importée</translation>
    </message>
    <message>
        <source>expected a list of tests or a file:// reference</source>
        <translation>liste de tests ou référence file:// attendue</translation>
    </message>
    <message>
        <source>a test must be a mapping (vars, assert, ...)</source>
        <translation>un test doit être un mappage (vars, assert, ...)</translation>
    </message>
    <message>
        <source>vars from scripts (%1) cannot be imported</source>
        <translation>les vars issues de scripts (%1) ne peuvent pas être importées</translation>
    </message>
    <message>
        <source>expected a list of assertions</source>
        <translation>liste d&apos;assertions attendue</translation>
    </message>
    <message>
        <source>expected a mapping with a &quot;type&quot;</source>
        <translation>mappage avec un &quot;type&quot; attendu</translation>
    </message>
    <message>
        <source>a type is required</source>
        <translation>un type est requis</translation>
    </message>
    <message>
        <source>assert-set groups are kept as one check that Slopscope cannot grade</source>
        <translation>les groupes assert-set sont conservés comme une seule vérification que Slopscope ne peut pas évaluer</translation>
    </message>
    <message>
        <source>expected a number of at least 0</source>
        <translation>nombre supérieur ou égal à 0 attendu</translation>
    </message>
    <message>
        <source>assertion &quot;%1&quot; settings are not imported</source>
        <translation>les paramètres de l&apos;assertion &quot;%1&quot; ne sont pas importés</translation>
    </message>
    <message>
        <source>assertion type &quot;%1&quot; is kept but cannot be graded (unknown grader)</source>
        <translation>le type d&apos;assertion &quot;%1&quot; est conservé mais ne peut pas être évalué (évaluateur inconnu)</translation>
    </message>
    <message>
        <source>test option &quot;%1&quot; is not imported</source>
        <translation>l&apos;option de test &quot;%1&quot; n&apos;est pas importée</translation>
    </message>
    <message>
        <source>expected a file with one test mapping</source>
        <translation>fichier avec un seul mappage de test attendu</translation>
    </message>
    <message>
        <source>expected a mapping (vars, assert, options)</source>
        <translation>mappage attendu (vars, assert, options)</translation>
    </message>
    <message>
        <source>the test key &quot;%1&quot; is not imported</source>
        <translation>la clé de test &quot;%1&quot; n&apos;est pas importée</translation>
    </message>
    <message>
        <source>per-test &quot;%1&quot; filters are not imported: every test runs on every target and prompt</source>
        <translation>les filtres &quot;%1&quot; par test ne sont pas importés&#xa0;: chaque test s&apos;exécute sur chaque cible et chaque invite</translation>
    </message>
    <message>
        <source>fixed providerOutput values are not imported</source>
        <translation>les valeurs fixes de providerOutput ne sont pas importées</translation>
    </message>
    <message>
        <source>expected a mapping of names and values</source>
        <translation>mappage de noms et de valeurs attendu</translation>
    </message>
    <message>
        <source>an empty list gives no case</source>
        <translation>une liste vide ne donne aucun cas</translation>
    </message>
    <message>
        <source>the lists in vars expand to more than %1 cases</source>
        <translation>les listes de vars se développent en plus de %1 cas</translation>
    </message>
    <message>
        <source>an assertion uses {{%1}}, which this test does not define</source>
        <translation>une assertion utilise {{%1}}, que ce test ne définit pas</translation>
    </message>
    <message>
        <source>the prompt &quot;%1&quot; uses {{%2}}, which this test does not define</source>
        <translation>l&apos;invite &quot;%1&quot; utilise {{%2}}, que ce test ne définit pas</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>Impossible d&apos;ouvrir %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1: the file is too large (the limit is %2 MiB)</source>
        <translation>%1&#xa0;: le fichier est trop volumineux (la limite est de %2&#xa0;Mio)</translation>
    </message>
    <message>
        <source>%1 is outside the configuration&apos;s folder %2; included files must be inside it</source>
        <translation>%1 est en dehors du dossier de la configuration %2 ; les fichiers inclus doivent s’y trouver</translation>
    </message>
</context>
<context>
    <name>ReportChart</name>
    <message>
        <source>Price and quality</source>
        <translation>Prix et qualité</translation>
    </message>
    <message>
        <source>Cost per 1,000 cases (USD, log scale)</source>
        <translation>Coût pour 1&#xa0;000 cas (USD, échelle log)</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>Qualité</translation>
    </message>
    <message>
        <source>cheaper and better</source>
        <translation>moins cher et meilleur</translation>
    </message>
    <message>
        <source>pricier and better</source>
        <translation>plus cher et meilleur</translation>
    </message>
    <message>
        <source>cheaper and worse</source>
        <translation>moins cher et moins bon</translation>
    </message>
    <message>
        <source>pricier and worse</source>
        <translation>plus cher et moins bon</translation>
    </message>
    <message>
        <source>No target has both a quality and a known cost yet.</source>
        <translation>Aucune cible n&apos;a encore à la fois une qualité et un coût connu.</translation>
    </message>
    <message>
        <source>Not drawn (no quality or unknown cost): %1</source>
        <translation>Non tracées (pas de qualité ou coût inconnu)&#xa0;: %1</translation>
    </message>
    <message>
        <source>● target   ◉ on the Pareto frontier   │ 95% quality interval</source>
        <translation>● cible   ◉ sur la frontière de Pareto   │ intervalle de qualité à 95&#xa0;%</translation>
    </message>
    <message>
        <source>Drawing a chart needs the graphical application (a QGuiApplication).</source>
        <translation>Le tracé d&apos;un graphique nécessite l&apos;application graphique (une QGuiApplication).</translation>
    </message>
    <message>
        <source>The chart could not be encoded as PNG.</source>
        <translation>Le graphique n&apos;a pas pu être encodé en PNG.</translation>
    </message>
    <message>
        <source>The PDF writer could not start.</source>
        <translation>Le générateur PDF n&apos;a pas pu démarrer.</translation>
    </message>
</context>
<context>
    <name>ReportExport</name>
    <message>
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
    <message>
        <source>%1: cannot write: %2</source>
        <translation>%1&#xa0;: écriture impossible&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1: a report is .html, .pdf or .md</source>
        <translation>%1&#xa0;: un rapport est au format .html, .pdf ou .md</translation>
    </message>
    <message>
        <source>%1: a chart is .png, .svg or .pdf</source>
        <translation>%1&#xa0;: un graphique est au format .png, .svg ou .pdf</translation>
    </message>
</context>
<context>
    <name>ReportText</name>
    <message>
        <source>unknown</source>
        <translation>inconnu</translation>
    </message>
    <message>
        <source>Untitled suite</source>
        <translation>Suite sans titre</translation>
    </message>
    <message>
        <source>%1: run report</source>
        <translation>%1&#xa0;: rapport d&apos;exécution</translation>
    </message>
    <message>
        <source>%1: run %2</source>
        <translation>%1&#xa0;: exécution %2</translation>
    </message>
    <message>
        <source>Quality is the canonical wording&apos;s mean score over cases with its 95% bootstrap interval. ★ marks targets on the price/quality Pareto frontier. Unknown figures are shown as unknown, never as 0.</source>
        <translation>La qualité est le score moyen de la formulation canonique sur les cas, avec son intervalle bootstrap à 95&#xa0;%. ★ marque les cibles situées sur la frontière de Pareto prix/qualité. Les valeurs inconnues sont affichées comme inconnues, jamais comme 0.</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>Qualité</translation>
    </message>
    <message>
        <source>Each case&apos;s score (0–1, the weighted mean of its assertions) is averaged over its repeats; quality is the mean over cases of the canonical wording. A request that failed scores 0. The interval is a 95% percentile bootstrap over cases.</source>
        <translation>Le score de chaque cas (0–1, moyenne pondérée de ses assertions) est moyenné sur ses répétitions&#xa0;; la qualité est la moyenne sur les cas de la formulation canonique. Une requête en échec obtient 0. L&apos;intervalle est un bootstrap par percentiles à 95&#xa0;% sur les cas.</translation>
    </message>
    <message>
        <source>Brittleness</source>
        <translation>Fragilité</translation>
    </message>
    <message>
        <source>Canonical quality minus reworded quality, over the cases run in both forms, with a paired 95% bootstrap interval. Positive: the target does worse when the same question is asked differently.</source>
        <translation>Qualité canonique moins qualité reformulée, sur les cas exécutés sous les deux formes, avec un intervalle bootstrap apparié à 95&#xa0;%. Positive&#xa0;: la cible fait moins bien quand la même question est posée autrement.</translation>
    </message>
    <message>
        <source>TTFT</source>
        <translation>TTFT</translation>
    </message>
    <message>
        <source>Time to first token: from sending the answering attempt to the first content of any kind (reasoning included).</source>
        <translation>Délai avant le premier jeton&#xa0;: de l&apos;envoi de la tentative de réponse au premier contenu de tout type (raisonnement compris).</translation>
    </message>
    <message>
        <source>TTFAT</source>
        <translation>TTFAT</translation>
    </message>
    <message>
        <source>Time to first answer token: to the first content that is not reasoning.</source>
        <translation>Délai avant le premier jeton de réponse&#xa0;: jusqu&apos;au premier contenu qui n&apos;est pas du raisonnement.</translation>
    </message>
    <message>
        <source>Decode tok/s</source>
        <translation>Décodage tok/s</translation>
    </message>
    <message>
        <source>Output tokens after the first chunk divided by the time from the first to the last content chunk. Needs two content chunks; estimated from characters (4 per token) when the provider reported no usage.</source>
        <translation>Jetons de sortie après le premier fragment, divisés par le temps écoulé entre le premier et le dernier fragment de contenu. Nécessite deux fragments de contenu&#xa0;; estimé à partir des caractères (4 par jeton) quand le fournisseur n&apos;a pas indiqué de consommation.</translation>
    </message>
    <message>
        <source>ITL</source>
        <translation>ITL</translation>
    </message>
    <message>
        <source>Inter-token latency: (end-to-end − TTFT) ÷ (streamed tokens − 1).</source>
        <translation>Latence inter-jetons&#xa0;: (bout en bout − TTFT) ÷ (jetons diffusés − 1).</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Latence</translation>
    </message>
    <message>
        <source>End to end: from sending the answering attempt to the end of the response. p50 and p95 are nearest-rank percentiles (the ⌈q·n⌉-th smallest).</source>
        <translation>De bout en bout&#xa0;: de l&apos;envoi de la tentative de réponse à la fin de la réponse. p50 et p95 sont des percentiles au rang le plus proche (la ⌈q·n⌉-ième plus petite valeur).</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Coût</translation>
    </message>
    <message>
        <source>From reported token usage, split into disjoint buckets: uncached input, cached input (cache reads), cache writes, output, and reasoning when it has its own price. Unknown when usage or a needed price is missing; a total is shown only when every cost is known.</source>
        <translation>D&apos;après la consommation de jetons indiquée, répartie en catégories disjointes&#xa0;: entrée hors cache, entrée en cache (lectures du cache), écritures dans le cache, sortie, et raisonnement lorsqu&apos;il a son propre prix. Inconnu quand la consommation ou un prix nécessaire manque&#xa0;; un total n&apos;est affiché que si chaque coût est connu.</translation>
    </message>
    <message>
        <source>Cost per 1k cases</source>
        <translation>Coût pour 1&#xa0;000 cas</translation>
    </message>
    <message>
        <source>The mean cost of a case (all its repeats and wordings) × 1,000, over cases whose cost is known; unknown if any case&apos;s cost is.</source>
        <translation>Le coût moyen d&apos;un cas (toutes ses répétitions et formulations) × 1&#xa0;000, sur les cas dont le coût est connu&#xa0;; inconnu si le coût de l&apos;un des cas est inconnu.</translation>
    </message>
    <message>
        <source>Error rate</source>
        <translation>Taux d&apos;erreur</translation>
    </message>
    <message>
        <source>Share of requests that did not end with a complete answer (errors and truncated answers); cancelled requests are left out.</source>
        <translation>Part des requêtes qui ne se sont pas terminées par une réponse complète (erreurs et réponses tronquées)&#xa0;; les requêtes annulées sont exclues.</translation>
    </message>
    <message>
        <source>Pareto frontier</source>
        <translation>Frontière de Pareto</translation>
    </message>
    <message>
        <source>Targets that no other target beats on both cost per 1k cases and quality.</source>
        <translation>Cibles qu&apos;aucune autre cible ne bat à la fois sur le coût pour 1&#xa0;000 cas et sur la qualité.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Exécution</translation>
    </message>
    <message>
        <source>Suite</source>
        <translation>Suite</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Début</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>Fin</translation>
    </message>
    <message>
        <source>Repeats</source>
        <translation>Répétitions</translation>
    </message>
    <message>
        <source>Rewordings</source>
        <translation>Reformulations</translation>
    </message>
    <message>
        <source>run</source>
        <translation>exécutées</translation>
    </message>
    <message>
        <source>not run</source>
        <translation>non exécutées</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Ordre</translation>
    </message>
    <message>
        <source>one provider at a time</source>
        <translation>un fournisseur à la fois</translation>
    </message>
    <message>
        <source>all providers at once, interleaved</source>
        <translation>tous les fournisseurs à la fois, entrelacés</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Graine</translation>
    </message>
    <message>
        <source>Concurrency</source>
        <translation>Parallélisme</translation>
    </message>
    <message>
        <source>%1 overall; per provider %2</source>
        <translation>%1 au total&#xa0;; %2 par fournisseur</translation>
    </message>
    <message>
        <source>Spend cap</source>
        <translation>Plafond de dépenses</translation>
    </message>
    <message>
        <source>none</source>
        <translation>aucun</translation>
    </message>
    <message>
        <source>Stopped early</source>
        <translation>Arrêt anticipé</translation>
    </message>
    <message>
        <source>no</source>
        <translation>non</translation>
    </message>
    <message>
        <source>App version</source>
        <translation>Version de l&apos;application</translation>
    </message>
    <message>
        <source>Price catalogue</source>
        <translation>Catalogue de prix</translation>
    </message>
    <message>
        <source>none (workspace prices only)</source>
        <translation>aucun (prix de l&apos;espace de travail uniquement)</translation>
    </message>
    <message>
        <source>%1, commit %2</source>
        <translation>%1, révision %2</translation>
    </message>
    <message>
        <source>Catalogue date</source>
        <translation>Date du catalogue</translation>
    </message>
    <message>
        <source>simulated; workspace price</source>
        <translation>simulé&#xa0;; prix de l&apos;espace de travail</translation>
    </message>
    <message>
        <source>workspace price (not in the catalogue)</source>
        <translation>prix de l&apos;espace de travail (absent du catalogue)</translation>
    </message>
    <message>
        <source>catalogue entry %1</source>
        <translation>entrée du catalogue %1</translation>
    </message>
    <message>
        <source>input %1, output %2 per million tokens</source>
        <translation>entrée %1, sortie %2 par million de jetons</translation>
    </message>
    <message>
        <source>%1: %2 = %3 (catalogue: %4)</source>
        <translation>%1&#xa0;: %2 = %3 (catalogue&#xa0;: %4)</translation>
    </message>
    <message>
        <source>no price</source>
        <translation>aucun prix</translation>
    </message>
    <message>
        <source>Judge–human agreement</source>
        <translation>Accord juge–humain</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Cible</translation>
    </message>
    <message>
        <source>Judge</source>
        <translation>Juge</translation>
    </message>
    <message>
        <source>n</source>
        <translation>n</translation>
    </message>
    <message>
        <source>Agreement</source>
        <translation>Accord</translation>
    </message>
    <message>
        <source>κ</source>
        <translation>κ</translation>
    </message>
    <message>
        <source>all judges</source>
        <translation>tous les juges</translation>
    </message>
    <message>
        <source>How often the judges&apos; pass/fail matched people&apos;s ratings (4 or 5 stars count as a pass), over the n answers both graded; κ is Cohen&apos;s kappa: 1 is perfect agreement, 0 what chance would give.</source>
        <translation>Fréquence à laquelle le réussi/échoué des juges a correspondu aux notes des personnes (4 ou 5 étoiles valent réussi), sur les n réponses notées par les deux ; κ est le kappa de Cohen : 1 est un accord parfait, 0 ce que donnerait le hasard.</translation>
    </message>
</context>
<context>
    <name>RequestBuilder</name>
    <message>
        <source>Unknown reasoning effort &quot;%1&quot; (expected low, medium or high)</source>
        <translation>Effort de raisonnement &quot;%1&quot; inconnu (low, medium ou high attendu)</translation>
    </message>
    <message>
        <source>Reasoning effort &quot;%1&quot; needs a thinking budget of %2 tokens, but max_tokens is %3; raise max_tokens above %2</source>
        <translation>L&apos;effort de raisonnement &quot;%1&quot; nécessite un budget de réflexion de %2 jetons, mais max_tokens vaut %3&#xa0;; augmentez max_tokens au-delà de %2</translation>
    </message>
    <message>
        <source>Provider %1 uses the embedded simulator, which is not running</source>
        <translation>Le fournisseur %1 utilise le simulateur intégré, qui n&apos;est pas en cours d&apos;exécution</translation>
    </message>
    <message>
        <source>Provider %1: &quot;%2&quot; is not an http(s) URL</source>
        <translation>Fournisseur %1&#xa0;: &quot;%2&quot; n&apos;est pas une URL http(s)</translation>
    </message>
    <message>
        <source>Provider %1: the base URL must not carry credentials, a query or a fragment; keys belong in the keychain or an environment variable</source>
        <translation>Fournisseur %1&#xa0;: l&apos;URL de base ne doit contenir ni identifiants, ni requête, ni fragment&#xa0;; les clés vont dans le trousseau ou dans une variable d&apos;environnement</translation>
    </message>
    <message>
        <source>Target %1 names no model</source>
        <translation>La cible %1 ne désigne aucun modèle</translation>
    </message>
    <message>
        <source>No API key for provider %1: set %2 in the environment or store it with &quot;slopscope-cli keys set %2&quot;</source>
        <translation>Aucune clé API pour le fournisseur %1&#xa0;: définissez %2 dans l&apos;environnement ou enregistrez-la avec &quot;slopscope-cli keys set %2&quot;</translation>
    </message>
    <message>
        <source>Provider %1: %2</source>
        <translation>Fournisseur %1 : %2</translation>
    </message>
    <message>
        <source>Provider %1: the header %2 needs the secret %3: set %3 in the environment or store it with &quot;slopscope-cli keys set %3&quot;</source>
        <translation>Fournisseur %1 : l&apos;en-tête %2 nécessite le secret %3 : définissez %3 dans l&apos;environnement ou enregistrez-le avec &quot;slopscope-cli keys set %3&quot;</translation>
    </message>
    <message>
        <source>the API key</source>
        <translation>la clé d&apos;API</translation>
    </message>
    <message>
        <source>the secret header %1</source>
        <translation>l&apos;en-tête secret %1</translation>
    </message>
    <message>
        <source>Refusing to send %1 of provider %2 over plain HTTP to %3; use https, or mark the provider &quot;allow_insecure_key&quot; if this network is trusted</source>
        <translation>Refus d&apos;envoyer %1 du fournisseur %2 en HTTP non chiffré vers %3 ; utilisez https, ou marquez le fournisseur &quot;allow_insecure_key&quot; si ce réseau est de confiance</translation>
    </message>
    <message>
        <source>Anthropic&apos;s extended thinking allows only tool_choice &quot;auto&quot; or &quot;none&quot;; drop reasoning effort &quot;%1&quot; or the forced tool choice</source>
        <translation>La réflexion étendue d&apos;Anthropic n&apos;autorise que tool_choice &quot;auto&quot; ou &quot;none&quot; ; retirez l&apos;effort de raisonnement &quot;%1&quot; ou le choix d&apos;outil forcé</translation>
    </message>
</context>
<context>
    <name>RetryPolicy</name>
    <message>
        <source>quota or spend limit reached; not retried</source>
        <translation>quota ou limite de dépenses atteint&#xa0;; pas de nouvelle tentative</translation>
    </message>
    <message>
        <source>the provider asks to retry after %1; not waiting that long</source>
        <translation>le fournisseur demande de réessayer dans %1&#xa0;; pas d&apos;attente aussi longue</translation>
    </message>
</context>
<context>
    <name>RoutingFetch</name>
    <message>
        <source>The workspace has no usable target &quot;%1&quot; to ask.</source>
        <translation>L’espace de travail n’a pas de cible utilisable « %1 » à interroger.</translation>
    </message>
</context>
<context>
    <name>RoutingPolicy</name>
    <message>
        <source>%1: expected an object</source>
        <translation>%1&#xa0;: objet attendu</translation>
    </message>
    <message>
        <source>%1: unknown kind &quot;%2&quot; (expected cascade, by-tag or best-of-n)</source>
        <translation>%1&#xa0;: type &quot;%2&quot; inconnu (cascade, by-tag ou best-of-n attendu)</translation>
    </message>
    <message>
        <source>%1: not used by a %2 policy</source>
        <translation>%1&#xa0;: non utilisé par une politique %2</translation>
    </message>
    <message>
        <source>%1[%2]: expected a target id</source>
        <translation>%1[%2]&#xa0;: identifiant de cible attendu</translation>
    </message>
    <message>
        <source>%1: a policy needs a name</source>
        <translation>%1&#xa0;: une politique doit avoir un nom</translation>
    </message>
    <message>
        <source>%1: a cascade needs at least one stage</source>
        <translation>%1&#xa0;: une cascade nécessite au moins une étape</translation>
    </message>
    <message>
        <source>%1.target: empty target id</source>
        <translation>%1.target&#xa0;: identifiant de cible vide</translation>
    </message>
    <message>
        <source>%1.validator: the last stage has nothing to escalate to</source>
        <translation>%1.validator&#xa0;: la dernière étape n&apos;a rien vers quoi escalader</translation>
    </message>
    <message>
        <source>%1.validator: missing (a target id or &quot;%2&quot; is required before another stage)</source>
        <translation>%1.validator&#xa0;: manquant (un identifiant de cible ou &quot;%2&quot; est requis avant une autre étape)</translation>
    </message>
    <message>
        <source>%1.threshold: must be between 0 and 1</source>
        <translation>%1.threshold&#xa0;: doit être compris entre 0 et 1</translation>
    </message>
    <message>
        <source>%1: empty target id</source>
        <translation>%1&#xa0;: identifiant de cible vide</translation>
    </message>
    <message>
        <source>%1.tag: empty tag</source>
        <translation>%1.tag&#xa0;: étiquette vide</translation>
    </message>
    <message>
        <source>%1.tag: tag &quot;%2&quot; already has a rule</source>
        <translation>%1.tag&#xa0;: l&apos;étiquette &quot;%2&quot; a déjà une règle</translation>
    </message>
    <message>
        <source>%1: best-of-n needs at least two candidates</source>
        <translation>%1&#xa0;: best-of-n nécessite au moins deux candidats</translation>
    </message>
    <message>
        <source>%1[%2]: empty target id</source>
        <translation>%1[%2]&#xa0;: identifiant de cible vide</translation>
    </message>
    <message>
        <source>%1[%2]: &quot;%3&quot; is already a candidate</source>
        <translation>%1[%2]&#xa0;: &quot;%3&quot; est déjà un candidat</translation>
    </message>
    <message>
        <source>%1: a routing policy file must be a JSON object</source>
        <translation>%1&#xa0;: un fichier de politiques de routage doit être un objet JSON</translation>
    </message>
    <message>
        <source>version: %1 is newer than this Slopscope reads (%2)</source>
        <translation>version&#xa0;: %1 est plus récente que ce que lit cette version de Slopscope (%2)</translation>
    </message>
    <message>
        <source>%1.name: duplicate policy name &quot;%2&quot;</source>
        <translation>%1.name&#xa0;: nom de politique en double &quot;%2&quot;</translation>
    </message>
    <message>
        <source>Cannot open routing policies %1: %2</source>
        <translation>Impossible d&apos;ouvrir les politiques de routage %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1: larger than %2 bytes, not a policy file</source>
        <translation>%1&#xa0;: plus de %2 octets, ce n&apos;est pas un fichier de politiques</translation>
    </message>
    <message>
        <source>Cannot write routing policies %1: %2</source>
        <translation>Impossible d&apos;écrire les politiques de routage %1&#xa0;: %2</translation>
    </message>
</context>
<context>
    <name>RunCommand</name>
    <message>
        <source>History database: %1. Stopping the run.</source>
        <translation>Base de données d&apos;historique&#xa0;: %1. Arrêt de l&apos;exécution.</translation>
    </message>
    <message>
        <source>Running %1: %2 request(s), run %3…</source>
        <translation>Lancement de %1&#xa0;: %2 requête(s), exécution %3…</translation>
    </message>
    <message>
        <source>target</source>
        <translation>cible</translation>
    </message>
    <message>
        <source>quality</source>
        <translation>qualité</translation>
    </message>
    <message>
        <source>95% interval</source>
        <translation>Intervalle à 95 %</translation>
    </message>
    <message>
        <source>$/1k cases</source>
        <translation>$/1&#xa0;000 cas</translation>
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
        <translation>$%1 dépensés&#xa0;; %2 requête(s) sur %3 en échec%4</translation>
    </message>
    <message>
        <source>Recorded as run %1 in %2.</source>
        <translation>Enregistrée comme exécution %1 dans %2.</translation>
    </message>
    <message>
        <source>Interrupted: the run did not complete.</source>
        <translation>Interrompue&#xa0;: l&apos;exécution ne s&apos;est pas terminée.</translation>
    </message>
    <message>
        <source>No request was answered: the run could not complete.</source>
        <translation>Aucune requête n&apos;a reçu de réponse&#xa0;: l&apos;exécution n&apos;a pas pu se terminer.</translation>
    </message>
    <message>
        <source>Gate failed: the spend cap of $%1 was reached before the run finished.</source>
        <translation>Échec du contrôle&#xa0;: le plafond de dépenses de $%1 a été atteint avant la fin de l&apos;exécution.</translation>
    </message>
    <message>
        <source>Gate failed: %1</source>
        <translation>Échec du contrôle&#xa0;: %1</translation>
    </message>
    <message>
        <source>Run a suite against targets and print one line per target.</source>
        <translation>Exécuter une suite sur des cibles et afficher une ligne par cible.</translation>
    </message>
    <message>
        <source>Use the bundled demo workspace and the simulator.</source>
        <translation>Utiliser l&apos;espace de travail de démonstration intégré et le simulateur.</translation>
    </message>
    <message>
        <source>Suite file or demo suite name.</source>
        <translation>Fichier de suite ou nom d&apos;une suite de démonstration.</translation>
    </message>
    <message>
        <source>suite</source>
        <translation>suite-de-tests</translation>
    </message>
    <message>
        <source>Workspace file.</source>
        <translation>Fichier d&apos;espace de travail.</translation>
    </message>
    <message>
        <source>file</source>
        <translation>fichier</translation>
    </message>
    <message>
        <source>Comma-separated target ids.</source>
        <translation>Identifiants de cible séparés par des virgules.</translation>
    </message>
    <message>
        <source>ids</source>
        <translation>identifiants</translation>
    </message>
    <message>
        <source>Samples per case.</source>
        <translation>Échantillons par cas.</translation>
    </message>
    <message>
        <source>k</source>
        <translation>k</translation>
    </message>
    <message>
        <source>Requests in flight at once, over all providers.</source>
        <translation>Requêtes simultanées, tous fournisseurs confondus.</translation>
    </message>
    <message>
        <source>Also run each case&apos;s rewordings.</source>
        <translation>Exécuter aussi les reformulations de chaque cas.</translation>
    </message>
    <message>
        <source>Measure providers one after another (clean speed figures).</source>
        <translation>Mesurer les fournisseurs l&apos;un après l&apos;autre (mesures de vitesse non perturbées).</translation>
    </message>
    <message>
        <source>Seed of the dispatch order and statistics.</source>
        <translation>Graine de l&apos;ordre d&apos;envoi et des statistiques.</translation>
    </message>
    <message>
        <source>s</source>
        <translation>graine</translation>
    </message>
    <message>
        <source>Stop dispatching once the run has spent this many US dollars (exit 1).</source>
        <translation>Arrêter les envois dès que l&apos;exécution a dépensé ce montant en dollars US (code de sortie 1).</translation>
    </message>
    <message>
        <source>usd</source>
        <translation>usd</translation>
    </message>
    <message>
        <source>Exit 1 when a target&apos;s figure is under a minimum: quality=0.8, quality_ci_low=0.7, TARGET:quality=80%. May be repeated.</source>
        <translation>Code de sortie 1 quand une mesure d&apos;une cible est sous un minimum&#xa0;: quality=0.8, quality_ci_low=0.7, TARGET:quality=80%. Peut être répété.</translation>
    </message>
    <message>
        <source>gate</source>
        <translation>seuil</translation>
    </message>
    <message>
        <source>Run only slice I of N of the cases (stable by case id), e.g. 2/4.</source>
        <translation>N&apos;exécuter que la tranche I sur N des cas (stable selon l&apos;identifiant de cas), par ex. 2/4.</translation>
    </message>
    <message>
        <source>i/n</source>
        <translation>i/n</translation>
    </message>
    <message>
        <source>Target that grades llm-rubric, factuality and select-best assertions.</source>
        <translation>Cible qui évalue les assertions llm-rubric, factuality et select-best.</translation>
    </message>
    <message>
        <source>Unexpected argument &quot;%1&quot;.</source>
        <translation>Argument inattendu &quot;%1&quot;.</translation>
    </message>
    <message>
        <source>Give either --demo or --workspace FILE.</source>
        <translation>Indiquez soit --demo, soit --workspace FILE.</translation>
    </message>
    <message>
        <source>--repeat takes a whole number of at least 1.</source>
        <translation>--repeat attend un nombre entier supérieur ou égal à 1.</translation>
    </message>
    <message>
        <source>--concurrency takes a whole number from 1 to 4096.</source>
        <translation>--concurrency attend un nombre entier de 1 à 4096.</translation>
    </message>
    <message>
        <source>--seed takes a whole number.</source>
        <translation>--seed attend un nombre entier.</translation>
    </message>
    <message>
        <source>--max-cost takes a positive number of US dollars, e.g. 0.50.</source>
        <translation>--max-cost attend un nombre positif de dollars US, par ex. 0.50.</translation>
    </message>
    <message>
        <source>Shard %1/%2 holds none of the suite&apos;s %3 case(s); nothing to run.</source>
        <translation>La tranche %1/%2 ne contient aucun des %3 cas de la suite&#xa0;; rien à exécuter.</translation>
    </message>
    <message>
        <source>--judge %1: the workspace has no such target.</source>
        <translation>--judge %1&#xa0;: l&apos;espace de travail n&apos;a pas de cible de ce nom.</translation>
    </message>
    <message>
        <source>No suite &quot;%1&quot;: give a file, or one of the demo suites facts, code, benchmark, tools, chains.</source>
        <translation>Aucune suite &quot;%1&quot; : indiquez un fichier, ou l&apos;une des suites de démo facts, code, benchmark, tools, chains.</translation>
    </message>
    <message>
        <source>Send again an answer that broke off mid-stream; the new answer replaces it (costs tokens twice).</source>
        <translation>Renvoyer une réponse interrompue en cours de flux ; la nouvelle réponse la remplace (jetons payés deux fois).</translation>
    </message>
    <message>
        <source>Do not open the first requests&apos; connections before sending them (their TTFT then includes connection set-up, as a cold client&apos;s would).</source>
        <translation>Ne pas ouvrir les connexions des premières requêtes avant de les envoyer (leur TTFT inclut alors l&apos;établissement de la connexion, comme pour un client à froid).</translation>
    </message>
</context>
<context>
    <name>RunGate</name>
    <message>
        <source>--shard &quot;%1&quot;: expected I/N with 1 ≤ I ≤ N, e.g. 2/4.</source>
        <translation>--shard &quot;%1&quot;&#xa0;: I/N attendu avec 1 ≤ I ≤ N, par ex. 2/4.</translation>
    </message>
    <message>
        <source>--fail-under &quot;%1&quot;: expected FIGURE=VALUE, e.g. quality=0.8.</source>
        <translation>--fail-under &quot;%1&quot;&#xa0;: MESURE=VALEUR attendu, par ex. quality=0.8.</translation>
    </message>
    <message>
        <source>--fail-under &quot;%1&quot;: the target before &apos;:&apos; is empty.</source>
        <translation>--fail-under &quot;%1&quot;&#xa0;: la cible avant &apos;:&apos; est vide.</translation>
    </message>
    <message>
        <source>--fail-under &quot;%1&quot;: unknown figure &quot;%2&quot; (use quality or quality_ci_low).</source>
        <translation>--fail-under &quot;%1&quot;&#xa0;: mesure &quot;%2&quot; inconnue (utilisez quality ou quality_ci_low).</translation>
    </message>
    <message>
        <source>--fail-under &quot;%1&quot;: &quot;%2&quot; is not a number.</source>
        <translation>--fail-under &quot;%1&quot;&#xa0;: &quot;%2&quot; n&apos;est pas un nombre.</translation>
    </message>
    <message>
        <source>--fail-under &quot;%1&quot;: the minimum must lie between 0 and 1 (or 0% and 100%).</source>
        <translation>--fail-under &quot;%1&quot;&#xa0;: le minimum doit être compris entre 0 et 1 (ou entre 0&#xa0;% et 100&#xa0;%).</translation>
    </message>
    <message>
        <source>%1: no %2 to check (no graded case)</source>
        <translation>%1&#xa0;: aucune valeur %2 à vérifier (aucun cas évalué)</translation>
    </message>
    <message>
        <source>%1: %2 %3 is under %4</source>
        <translation>%1&#xa0;: %2 %3 est inférieur à %4</translation>
    </message>
    <message>
        <source>%1: no such target in this run</source>
        <translation>%1&#xa0;: aucune cible de ce nom dans cette exécution</translation>
    </message>
    <message>
        <source>(any)</source>
        <translation>(toutes)</translation>
    </message>
</context>
<context>
    <name>RunOutputs</name>
    <message>
        <source>History database (default: the one the app uses).</source>
        <translation>Base de données d&apos;historique (par défaut&#xa0;: celle qu&apos;utilise l&apos;application).</translation>
    </message>
    <message>
        <source>file</source>
        <translation>fichier</translation>
    </message>
    <message>
        <source>Do not record the run in any database.</source>
        <translation>N&apos;enregistrer l&apos;exécution dans aucune base de données.</translation>
    </message>
    <message>
        <source>Write one JSON line per result as it is recorded.</source>
        <translation>Écrire une ligne JSON par résultat, au fur et à mesure de son enregistrement.</translation>
    </message>
    <message>
        <source>Write the per-target summary (JSON).</source>
        <translation>Écrire le résumé par cible (JSON).</translation>
    </message>
    <message>
        <source>file.json</source>
        <translation>fichier.json</translation>
    </message>
    <message>
        <source>Write a report: .html, .pdf or .md. May be repeated.</source>
        <translation>Écrire un rapport&#xa0;: .html, .pdf ou .md. Peut être répété.</translation>
    </message>
    <message>
        <source>Write the price/quality chart: .png, .svg or .pdf. May be repeated.</source>
        <translation>Écrire le graphique prix/qualité&#xa0;: .png, .svg ou .pdf. Peut être répété.</translation>
    </message>
    <message>
        <source>Write one CSV row per result.</source>
        <translation>Écrire une ligne CSV par résultat.</translation>
    </message>
    <message>
        <source>Give --db FILE or --no-db, not both.</source>
        <translation>Indiquez --db FILE ou --no-db, pas les deux.</translation>
    </message>
    <message>
        <source>--report %1: the file must end in .html, .pdf or .md.</source>
        <translation>--report %1&#xa0;: le fichier doit se terminer par .html, .pdf ou .md.</translation>
    </message>
    <message>
        <source>--chart %1: the file must end in .png, .svg or .pdf.</source>
        <translation>--chart %1&#xa0;: le fichier doit se terminer par .png, .svg ou .pdf.</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>Impossible d&apos;écrire %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1 result(s) could not be saved to %2; they are left out of %3.</source>
        <translation>%1 résultat(s) n&apos;ont pas pu être enregistrés dans %2&#xa0;; ils sont exclus de %3.</translation>
    </message>
</context>
<context>
    <name>RunSnapshot</name>
    <message>
        <source>Run %1: its %2 snapshot cannot be read back.</source>
        <translation>Exécution %1&#xa0;: son instantané %2 ne peut pas être relu.</translation>
    </message>
    <message>
        <source>The run used provider &quot;%1&quot;, which the workspace lacks.</source>
        <translation>L&apos;exécution a utilisé le fournisseur &quot;%1&quot;, absent de l&apos;espace de travail.</translation>
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
        <translation>Impossible de mettre à jour l&apos;index de recherche de %1 : %2</translation>
    </message>
</context>
<context>
    <name>SimAnswerKey</name>
    <message>
        <source>%1: a suite must be an object with &quot;name&quot; and &quot;cases&quot;</source>
        <translation>%1&#xa0;: une suite doit être un objet avec &quot;name&quot; et &quot;cases&quot;</translation>
    </message>
    <message>
        <source>%1: %2: expected an object</source>
        <translation>%1&#xa0;: %2&#xa0;: objet attendu</translation>
    </message>
    <message>
        <source>%1: no prompt and no user message</source>
        <translation>%1&#xa0;: ni invite ni message utilisateur</translation>
    </message>
    <message>
        <source>%1: the suite has no cases</source>
        <translation>%1&#xa0;: la suite n&apos;a aucun cas</translation>
    </message>
    <message>
        <source>%1: cannot open: %2</source>
        <translation>%1&#xa0;: ouverture impossible&#xa0;: %2</translation>
    </message>
</context>
<context>
    <name>SimFault</name>
    <message>
        <source>unknown fault &quot;%1&quot;</source>
        <translation>panne inconnue &quot;%1&quot;</translation>
    </message>
    <message>
        <source>fault parameter &quot;%1&quot; is not of the form name=value</source>
        <translation>le paramètre de panne &quot;%1&quot; n&apos;est pas de la forme nom=valeur</translation>
    </message>
    <message>
        <source>fault parameter &quot;%1&quot; needs a non-negative number</source>
        <translation>le paramètre de panne &quot;%1&quot; nécessite un nombre positif ou nul</translation>
    </message>
    <message>
        <source>unknown fault parameter &quot;%1&quot;</source>
        <translation>paramètre de panne inconnu &quot;%1&quot;</translation>
    </message>
    <message>
        <source>server_error status must be 500, 502 or 503</source>
        <translation>le statut de server_error doit être 500, 502 ou 503</translation>
    </message>
    <message>
        <source>redirect status must be 301, 302, 307 or 308</source>
        <translation>le statut de redirect doit être 301, 302, 307 ou 308</translation>
    </message>
    <message>
        <source>port must be at most 65535</source>
        <translation>le port doit valoir au plus 65535</translation>
    </message>
</context>
<context>
    <name>SimLog</name>
    <message>
        <source>%1: cannot write the log: %2</source>
        <translation>%1&#xa0;: impossible d&apos;écrire le journal&#xa0;: %2</translation>
    </message>
</context>
<context>
    <name>SimPersonas</name>
    <message>
        <source>%1: expected an object</source>
        <translation>%1&#xa0;: objet attendu</translation>
    </message>
    <message>
        <source>%1: probabilities must be between 0 and 1</source>
        <translation>%1&#xa0;: les probabilités doivent être comprises entre 0 et 1</translation>
    </message>
    <message>
        <source>%1: unknown dialect &quot;%2&quot;</source>
        <translation>%1&#xa0;: dialecte &quot;%2&quot; inconnu</translation>
    </message>
    <message>
        <source>%1: expected dialect names</source>
        <translation>%1&#xa0;: noms de dialectes attendus</translation>
    </message>
    <message>
        <source>%1: median must be 0 to 600000 ms and spread 0 to 3</source>
        <translation>%1&#xa0;: la médiane doit être comprise entre 0 et 600000&#xa0;ms et la dispersion entre 0 et 3</translation>
    </message>
    <message>
        <source>%1: must be between 0.1 and 1000000</source>
        <translation>%1&#xa0;: doit être compris entre 0.1 et 1000000</translation>
    </message>
    <message>
        <source>%1: spread must be between 0 and 3</source>
        <translation>%1&#xa0;: la dispersion doit être comprise entre 0 et 3</translation>
    </message>
    <message>
        <source>%1: a price cannot be negative</source>
        <translation>%1&#xa0;: un prix ne peut pas être négatif</translation>
    </message>
    <message>
        <source>%1.categories: expected an object</source>
        <translation>%1.categories&#xa0;: objet attendu</translation>
    </message>
    <message>
        <source>%1: probability must be between 0 and 1</source>
        <translation>%1&#xa0;: la probabilité doit être comprise entre 0 et 1</translation>
    </message>
    <message>
        <source>%1: expected an object with a &quot;personas&quot; array</source>
        <translation>%1&#xa0;: objet attendu avec un tableau &quot;personas&quot;</translation>
    </message>
    <message>
        <source>%1: %2: duplicate persona id &quot;%3&quot;</source>
        <translation>%1&#xa0;: %2&#xa0;: identifiant de persona en double &quot;%3&quot;</translation>
    </message>
    <message>
        <source>%1: the &quot;personas&quot; array is empty</source>
        <translation>%1&#xa0;: le tableau &quot;personas&quot; est vide</translation>
    </message>
    <message>
        <source>%1: cannot open: %2</source>
        <translation>%1&#xa0;: ouverture impossible&#xa0;: %2</translation>
    </message>
</context>
<context>
    <name>Slopscope::AddTargetDialog</name>
    <message>
        <source>Add Target</source>
        <translation>Ajouter une cible</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <source>choose or type a model</source>
        <translation>choisissez ou saisissez un modèle</translation>
    </message>
    <message>
        <source>Target id</source>
        <translation>Identifiant de la cible</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>Libellé</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>Couleur</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>inconnu</translation>
    </message>
    <message>
        <source>Input price per million tokens</source>
        <translation>Prix d&apos;entrée par million de jetons</translation>
    </message>
    <message>
        <source>Output price per million tokens</source>
        <translation>Prix de sortie par million de jetons</translation>
    </message>
    <message>
        <source>provider default</source>
        <translation>valeur par défaut du fournisseur</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>Température</translation>
    </message>
    <message>
        <source>Maximum output tokens</source>
        <translation>Nombre maximal de jetons de sortie</translation>
    </message>
    <message>
        <source>Reasoning effort</source>
        <translation>Effort de raisonnement</translation>
    </message>
    <message>
        <source>&amp;Source:</source>
        <translation>&amp;Source&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Model:</source>
        <translation>&amp;Modèle&#xa0;:</translation>
    </message>
    <message>
        <source>Target i&amp;d:</source>
        <translation>&amp;Identifiant de la cible&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Label:</source>
        <translation>&amp;Libellé&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Colour:</source>
        <translation>&amp;Couleur&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Input $/Mtok:</source>
        <translation>&amp;Entrée $/Mtok&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Output $/Mtok:</source>
        <translation>S&amp;ortie $/Mtok&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Temperature:</source>
        <translation>&amp;Température :</translation>
    </message>
    <message>
        <source>Max to&amp;kens:</source>
        <translation>&amp;Jetons max.&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Reasoning effort:</source>
        <translation>Effort de &amp;raisonnement :</translation>
    </message>
    <message>
        <source>%1 (in this workspace)</source>
        <translation>%1 (dans cet espace de travail)</translation>
    </message>
    <message>
        <source>%1 (preset, %2)</source>
        <translation>%1 (préréglage, %2)</translation>
    </message>
    <message>
        <source>%1 (preset)</source>
        <translation>%1 (préréglage)</translation>
    </message>
    <message>
        <source>Looking for local servers…</source>
        <translation>Recherche de serveurs locaux…</translation>
    </message>
    <message numerus="yes">
        <source>%1 at %2 (found, %n model(s))</source>
        <translation>
            <numerusform>%1 sur %2 (trouvé, %n modèle)</numerusform>
            <numerusform>%1 sur %2 (trouvé, %n modèles)</numerusform>
        </translation>
    </message>
    <message>
        <source>No local server answered on its default port.</source>
        <translation>Aucun serveur local n&apos;a répondu sur son port par défaut.</translation>
    </message>
    <message numerus="yes">
        <source>Found %n local server(s).</source>
        <translation>
            <numerusform>%n serveur local trouvé.</numerusform>
            <numerusform>%n serveurs locaux trouvés.</numerusform>
        </translation>
    </message>
    <message>
        <source>Leave a price empty when it is unknown.</source>
        <translation>Laissez un prix vide s&apos;il est inconnu.</translation>
    </message>
    <message>
        <source>No price catalogue: leave a price empty when it is unknown.</source>
        <translation>Aucun catalogue de prix&#xa0;: laissez un prix vide s&apos;il est inconnu.</translation>
    </message>
    <message>
        <source>“%1” is not in the price catalogue of %2: leave the prices empty for unknown, or enter them.</source>
        <translation>«&#xa0;%1&#xa0;» ne figure pas dans le catalogue de prix du %2&#xa0;: laissez les prix vides s&apos;ils sont inconnus, ou saisissez-les.</translation>
    </message>
    <message>
        <source>From the price catalogue of %1 (%2), for short prompts; edit to override.</source>
        <translation>D&apos;après le catalogue de prix du %1 (%2), pour les invites courtes&#xa0;; modifiez pour remplacer.</translation>
    </message>
    <message>
        <source>From the price catalogue of %1 (%2); edit to override.</source>
        <translation>D&apos;après le catalogue de prix du %1 (%2)&#xa0;; modifiez pour remplacer.</translation>
    </message>
    <message>
        <source>Target Colour</source>
        <translation>Couleur de la cible</translation>
    </message>
    <message>
        <source>Choose where the model runs.</source>
        <translation>Choisissez où le modèle s&apos;exécute.</translation>
    </message>
    <message>
        <source>Choose or type a model.</source>
        <translation>Choisissez ou saisissez un modèle.</translation>
    </message>
    <message>
        <source>Give the target an id.</source>
        <translation>Donnez un identifiant à la cible.</translation>
    </message>
    <message>
        <source>A target with the id “%1” already exists: choose another id.</source>
        <translation>Une cible avec l&apos;identifiant «&#xa0;%1&#xa0;» existe déjà&#xa0;: choisissez un autre identifiant.</translation>
    </message>
    <message>
        <source>“%1” is not a valid %2.</source>
        <translation>«&#xa0;%1&#xa0;» n&apos;est pas une valeur valide pour %2.</translation>
    </message>
</context>
<context>
    <name>Slopscope::AppearanceSettingsPage</name>
    <message>
        <source>Theme</source>
        <translation>Thème</translation>
    </message>
    <message>
        <source>&amp;System (the desktop&apos;s style and colours)</source>
        <translation>Sys&amp;tème (style et couleurs du bureau)</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>C&amp;lair</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>&amp;Sombre</translation>
    </message>
    <message>
        <source>The theme changes at once and is kept for the next start.</source>
        <translation>Le thème change immédiatement et est conservé pour le prochain démarrage.</translation>
    </message>
</context>
<context>
    <name>Slopscope::ArenaDialog</name>
    <message>
        <source>Blind Arena</source>
        <translation>Arène à l&apos;aveugle</translation>
    </message>
    <message>
        <source>&amp;Vote</source>
        <translation>&amp;Voter</translation>
    </message>
    <message>
        <source>&amp;Ranking</source>
        <translation>&amp;Classement</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>Question</translation>
    </message>
    <message>
        <source>Answer A</source>
        <translation>Réponse A</translation>
    </message>
    <message>
        <source>Answer B</source>
        <translation>Réponse B</translation>
    </message>
    <message>
        <source>Note (optional), saved with the next vote</source>
        <translation>Note (facultative), enregistrée avec le prochain vote</translation>
    </message>
    <message>
        <source>← A is better</source>
        <translation>← A est meilleure</translation>
    </message>
    <message>
        <source>Tie</source>
        <translation>Égalité</translation>
    </message>
    <message>
        <source>B is better →</source>
        <translation>B est meilleure →</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>Passer</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Keys: ← or 1 for A, ↓, T or 2 for a tie, → or 3 for B, S to skip, Ctrl+Z to undo. Which target wrote which answer shows only in the Ranking.</source>
        <translation>Touches : ← ou 1 pour A, ↓, T ou 2 pour une égalité, → ou 3 pour B, S pour passer, Ctrl+Z pour annuler. Quelle cible a écrit quelle réponse n&apos;apparaît que dans le Classement.</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Cible</translation>
    </message>
    <message>
        <source>Strength</source>
        <translation>Force</translation>
    </message>
    <message>
        <source>95% interval</source>
        <translation>Intervalle à 95 %</translation>
    </message>
    <message>
        <source>Wins</source>
        <translation>Victoires</translation>
    </message>
    <message>
        <source>Ties</source>
        <translation>Égalités</translation>
    </message>
    <message>
        <source>Losses</source>
        <translation>Défaites</translation>
    </message>
    <message>
        <source>Votes</source>
        <translation>Votes</translation>
    </message>
    <message numerus="yes">
        <source>Pair %1 of %2 · %n vote(s) so far</source>
        <translation>
            <numerusform>Paire %1 sur %2 · %n vote jusqu&apos;ici</numerusform>
            <numerusform>Paire %1 sur %2 · %n votes jusqu&apos;ici</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Nothing to compare: the arena needs answers from at least two targets to the same case. · %n vote(s)</source>
        <translation>
            <numerusform>Rien à comparer : l&apos;arène a besoin des réponses d&apos;au moins deux cibles au même cas. · %n vote</numerusform>
            <numerusform>Rien à comparer : l&apos;arène a besoin des réponses d&apos;au moins deux cibles au même cas. · %n votes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>All %1 pairs seen · %n vote(s). See the Ranking tab.</source>
        <translation>
            <numerusform>Les %1 paires ont été vues · %n vote. Voir l&apos;onglet Classement.</numerusform>
            <numerusform>Les %1 paires ont été vues · %n votes. Voir l&apos;onglet Classement.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Ranking %n vote(s)…</source>
        <translation>
            <numerusform>Classement de %n vote…</numerusform>
            <numerusform>Classement de %n votes…</numerusform>
        </translation>
    </message>
    <message>
        <source>No votes yet: the ranking appears once answers have been compared.</source>
        <translation>Aucun vote pour l&apos;instant : le classement apparaît une fois des réponses comparées.</translation>
    </message>
    <message numerus="yes">
        <source>Bradley–Terry strengths from %n vote(s) (a tie counts half to each), with 95% bootstrap intervals. Strengths sum to 1; overlapping intervals mean the votes do not separate the targets.</source>
        <translation>
            <numerusform>Forces Bradley–Terry issues de %n vote (une égalité compte pour moitié à chacun), avec intervalles bootstrap à 95 %. Les forces totalisent 1 ; des intervalles qui se chevauchent signifient que les votes ne départagent pas les cibles.</numerusform>
            <numerusform>Forces Bradley–Terry issues de %n votes (une égalité compte pour moitié à chacun), avec intervalles bootstrap à 95 %. Les forces totalisent 1 ; des intervalles qui se chevauchent signifient que les votes ne départagent pas les cibles.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 – %2</source>
        <translation>%1 – %2</translation>
    </message>
    <message>
        <source>This session&apos;s run (not recorded)</source>
        <translation>Exécution de cette session (non enregistrée)</translation>
    </message>
    <message>
        <source>Run to vote on</source>
        <translation>Exécution à évaluer</translation>
    </message>
    <message>
        <source>Vote on another recorded run: suite runs of two or more targets</source>
        <translation>Voter sur une autre exécution enregistrée : exécutions de suite d&apos;au moins deux cibles</translation>
    </message>
    <message>
        <source>R&amp;un:</source>
        <translation>&amp;Exécution :</translation>
    </message>
    <message>
        <source>Cannot list the recorded runs: %1</source>
        <translation>Impossible de lister les exécutions enregistrées : %1</translation>
    </message>
    <message>
        <source>Cannot open the run: %1</source>
        <translation>Impossible d&apos;ouvrir l&apos;exécution : %1</translation>
    </message>
    <message>
        <source>Blind Arena (votes kept until closed: this run is not recorded)</source>
        <translation>Arène à l&apos;aveugle (votes conservés jusqu&apos;à la fermeture : cette exécution n&apos;est pas enregistrée)</translation>
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
            <numerusform>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;démarrée %2&lt;br&gt;%n cible : %3</numerusform>
            <numerusform>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;démarrée %2&lt;br&gt;%n cibles : %3</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Slopscope::ArenaSession</name>
    <message>
        <source>(The prompt of case %1 is not in the run&apos;s suite.)</source>
        <translation>(Le prompt du cas %1 n&apos;est pas dans la suite de l&apos;exécution.)</translation>
    </message>
</context>
<context>
    <name>Slopscope::AssertionsEditor</name>
    <message>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valeur</translation>
    </message>
    <message>
        <source>Threshold</source>
        <translation>Seuil</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>Poids</translation>
    </message>
    <message>
        <source>Add assertion</source>
        <translation>Ajouter une assertion</translation>
    </message>
    <message>
        <source>Remove assertion</source>
        <translation>Supprimer l&apos;assertion</translation>
    </message>
    <message>
        <source>Assertion type</source>
        <translation>Type d&apos;assertion</translation>
    </message>
    <message>
        <source>value</source>
        <translation>valeur</translation>
    </message>
    <message>
        <source>Assertion %1 (%2): the value is not valid JSON: %3</source>
        <translation>Assertion %1 (%2) : la valeur n&apos;est pas du JSON valide : %3</translation>
    </message>
    <message>
        <source>Assertion %1: the threshold &quot;%2&quot; is not a number</source>
        <translation>Assertion %1 : le seuil &quot;%2&quot; n&apos;est pas un nombre</translation>
    </message>
    <message>
        <source>Assertion %1: the weight &quot;%2&quot; is not a number of at least 0</source>
        <translation>Assertion %1 : le poids &quot;%2&quot; n&apos;est pas un nombre supérieur ou égal à 0</translation>
    </message>
</context>
<context>
    <name>Slopscope::CaseForm</name>
    <message>
        <source>Case id</source>
        <translation>Id du cas</translation>
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
        <translation>Description</translation>
    </message>
    <message>
        <source>D&amp;escription</source>
        <translation>D&amp;escription</translation>
    </message>
    <message>
        <source>description</source>
        <translation>description</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Messages</translation>
    </message>
    <message>
        <source>Input kind</source>
        <translation>Type d&apos;entrée</translation>
    </message>
    <message>
        <source>In&amp;put</source>
        <translation>&amp;Entrée</translation>
    </message>
    <message>
        <source>The question; {{name}} is filled from the variables.</source>
        <translation>La question ; {{name}} est rempli à partir des variables.</translation>
    </message>
    <message>
        <source>messages</source>
        <translation>messages</translation>
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
        <translation>Réponse de référence</translation>
    </message>
    <message>
        <source>&amp;Reference</source>
        <translation>&amp;Référence</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Étiquettes</translation>
    </message>
    <message>
        <source>comma-separated</source>
        <translation>séparées par des virgules</translation>
    </message>
    <message>
        <source>&amp;Tags</source>
        <translation>É&amp;tiquettes</translation>
    </message>
    <message>
        <source>tags</source>
        <translation>étiquettes</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>Poids</translation>
    </message>
    <message>
        <source>How much the case counts in the suite&apos;s score (a number of at least 0)</source>
        <translation>Poids du cas dans le score de la suite (un nombre supérieur ou égal à 0)</translation>
    </message>
    <message>
        <source>&amp;Weight</source>
        <translation>&amp;Poids</translation>
    </message>
    <message>
        <source>weight</source>
        <translation>poids</translation>
    </message>
    <message>
        <source>Threshold</source>
        <translation>Seuil</translation>
    </message>
    <message>
        <source>none: every assertion must pass</source>
        <translation>aucun : chaque assertion doit réussir</translation>
    </message>
    <message>
        <source>When set, the case passes when its weighted score reaches it</source>
        <translation>Si défini, le cas réussit quand son score pondéré l&apos;atteint</translation>
    </message>
    <message>
        <source>T&amp;hreshold</source>
        <translation>&amp;Seuil</translation>
    </message>
    <message>
        <source>threshold</source>
        <translation>seuil</translation>
    </message>
    <message>
        <source>Time budget</source>
        <translation>Budget de temps</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>suite default</source>
        <translation>par défaut de la suite</translation>
    </message>
    <message>
        <source>An answer slower than this fails &quot;quality within budget&quot;; 0 is the suite default</source>
        <translation>Une réponse plus lente échoue à &quot;qualité dans le budget&quot; ; 0 = valeur par défaut de la suite</translation>
    </message>
    <message>
        <source>Time bu&amp;dget</source>
        <translation>Bu&amp;dget de temps</translation>
    </message>
    <message>
        <source>time budget</source>
        <translation>budget de temps</translation>
    </message>
    <message>
        <source>Metadata</source>
        <translation>Métadonnées</translation>
    </message>
    <message>
        <source>&amp;Metadata</source>
        <translation>&amp;Métadonnées</translation>
    </message>
    <message>
        <source>metadata</source>
        <translation>métadonnées</translation>
    </message>
    <message>
        <source>Assertions</source>
        <translation>Assertions</translation>
    </message>
    <message>
        <source>A&amp;ssertions</source>
        <translation>A&amp;ssertions</translation>
    </message>
    <message>
        <source>assertions</source>
        <translation>assertions</translation>
    </message>
    <message>
        <source>suite default (%1 ms)</source>
        <translation>par défaut de la suite (%1 ms)</translation>
    </message>
    <message>
        <source>suite default (none)</source>
        <translation>par défaut de la suite (aucun)</translation>
    </message>
    <message>
        <source>The weight &quot;%1&quot; is not a number of at least 0</source>
        <translation>Le poids &quot;%1&quot; n&apos;est pas un nombre supérieur ou égal à 0</translation>
    </message>
    <message>
        <source>The threshold &quot;%1&quot; is not a number</source>
        <translation>Le seuil &quot;%1&quot; n&apos;est pas un nombre</translation>
    </message>
    <message>
        <source>Change %1 of case %2</source>
        <translation>Modifier %1 du cas %2</translation>
    </message>
    <message>
        <source>Not a number: &quot;%1&quot;</source>
        <translation>Pas un nombre : &quot;%1&quot;</translation>
    </message>
    <message>
        <source>Not a number of at least 0: &quot;%1&quot;</source>
        <translation>Pas un nombre supérieur ou égal à 0 : &quot;%1&quot;</translation>
    </message>
    <message>
        <source>prompt</source>
        <translation>prompt</translation>
    </message>
    <message>
        <source>reference</source>
        <translation>référence</translation>
    </message>
    <message>
        <source>input kind</source>
        <translation>type d&apos;entrée</translation>
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
        <translation>Réponse sélectionnée</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>Réponse</translation>
    </message>
    <message>
        <source>Grades</source>
        <translation>Évaluations</translation>
    </message>
    <message>
        <source>Grades and reasons</source>
        <translation>Évaluations et raisons</translation>
    </message>
    <message>
        <source>Chunk arrivals (time →, text received ↑)</source>
        <translation>Arrivée des fragments (temps →, texte reçu ↑)</translation>
    </message>
    <message>
        <source>Figures</source>
        <translation>Mesures</translation>
    </message>
    <message>
        <source>Select a cell to see its answer.</source>
        <translation>Sélectionnez une cellule pour voir sa réponse.</translation>
    </message>
    <message>
        <source>%1 · %2: no answer yet</source>
        <translation>%1 · %2&#xa0;: pas encore de réponse</translation>
    </message>
    <message>
        <source>%1 · %2 · repeat %3 of %4</source>
        <translation>%1 · %2 · répétition %3 sur %4</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>[refusal] %1</source>
        <translation>[refus] %1</translation>
    </message>
    <message>
        <source>Not completed: %1</source>
        <translation>Non terminé&#xa0;: %1</translation>
    </message>
    <message>
        <source>no error given</source>
        <translation>aucune erreur indiquée</translation>
    </message>
    <message>
        <source>%1 · score %2</source>
        <translation>%1 · score&#xa0;: %2</translation>
    </message>
    <message>
        <source>PASS</source>
        <translation>RÉUSSI</translation>
    </message>
    <message>
        <source>FAIL</source>
        <translation>ÉCHEC</translation>
    </message>
    <message>
        <source>waiting for judge</source>
        <translation>en attente du juge</translation>
    </message>
    <message>
        <source>pass</source>
        <translation>réussi</translation>
    </message>
    <message>
        <source>fail</source>
        <translation>échec</translation>
    </message>
    <message>
        <source>• %1: %2 (%3) — %4</source>
        <translation>• %1&#xa0;: %2 (%3) — %4</translation>
    </message>
    <message>
        <source>Scores of all repeats: %1</source>
        <translation>Scores de toutes les répétitions&#xa0;: %1</translation>
    </message>
    <message>
        <source>TTFT %1</source>
        <translation>TTFT %1</translation>
    </message>
    <message>
        <source>total %1</source>
        <translation>total&#xa0;: %1</translation>
    </message>
    <message>
        <source>%1%2 tok/s</source>
        <translation>%1%2&#xa0;tok/s</translation>
    </message>
    <message>
        <source>%1 tokens</source>
        <translation>%1 jetons</translation>
    </message>
    <message numerus="yes">
        <source>%n chunk(s)</source>
        <translation>
            <numerusform>%n fragment</numerusform>
            <numerusform>%n fragments</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n stall(s)</source>
        <translation>
            <numerusform>%n blocage</numerusform>
            <numerusform>%n blocages</numerusform>
        </translation>
    </message>
    <message>
        <source>$%1</source>
        <translation>$%1</translation>
    </message>
    <message>
        <source>cost unknown</source>
        <translation>coût inconnu</translation>
    </message>
    <message numerus="yes">
        <source>%n attempt(s)</source>
        <translation>
            <numerusform>%n tentative</numerusform>
            <numerusform>%n tentatives</numerusform>
        </translation>
    </message>
    <message>
        <source>Chain transcript</source>
        <translation>Transcription de la chaîne</translation>
    </message>
    <message>
        <source>[tool call] %1(%2)</source>
        <translation>[appel d&apos;outil] %1(%2)</translation>
    </message>
    <message numerus="yes">
        <source>%n turn(s)</source>
        <translation>
            <numerusform>%n tour</numerusform>
            <numerusform>%n tours</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n request(s)</source>
        <translation>
            <numerusform>%n requête</numerusform>
            <numerusform>%n requêtes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Slopscope::ChunkSparkline</name>
    <message>
        <source>Chunk arrivals</source>
        <translation>Arrivée des fragments</translation>
    </message>
    <message>
        <source>No chunks arrived</source>
        <translation>Aucun fragment reçu</translation>
    </message>
    <message numerus="yes">
        <source>%n chunk(s) over %1 ms</source>
        <translation>
            <numerusform>%n fragment en %1&#xa0;ms</numerusform>
            <numerusform>%n fragments en %1&#xa0;ms</numerusform>
        </translation>
    </message>
    <message>
        <source>no chunks</source>
        <translation>aucun fragment</translation>
    </message>
</context>
<context>
    <name>Slopscope::DiffView</name>
    <message>
        <source>&amp;Case</source>
        <translation>&amp;Cas</translation>
    </message>
    <message>
        <source>Case to compare</source>
        <translation>Cas à comparer</translation>
    </message>
    <message>
        <source>&amp;Left</source>
        <translation>&amp;Gauche</translation>
    </message>
    <message>
        <source>Left side</source>
        <translation>Côté gauche</translation>
    </message>
    <message>
        <source>&amp;Right</source>
        <translation>Dro&amp;ite</translation>
    </message>
    <message>
        <source>Right side</source>
        <translation>Côté droit</translation>
    </message>
    <message>
        <source>Left answer</source>
        <translation>Réponse de gauche</translation>
    </message>
    <message>
        <source>Right answer</source>
        <translation>Réponse de droite</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Référence</translation>
    </message>
    <message>
        <source>%1 (no answer yet)</source>
        <translation>%1 (pas encore de réponse)</translation>
    </message>
    <message>
        <source>%1 (repeat %2)</source>
        <translation>%1 (répétition %2)</translation>
    </message>
    <message>
        <source>No results to compare yet.</source>
        <translation>Pas encore de résultats à comparer.</translation>
    </message>
    <message>
        <source>Too long to compare word by word.</source>
        <translation>Trop long pour une comparaison mot à mot.</translation>
    </message>
    <message>
        <source>%1 words in common · %2 only left (orange) · %3 only right (blue)</source>
        <translation>%1 mots en commun · %2 uniquement à gauche (orange) · %3 uniquement à droite (bleu)</translation>
    </message>
    <message>
        <source>Comparing…</source>
        <translation>Comparaison…</translation>
    </message>
</context>
<context>
    <name>Slopscope::DisagreementModel</name>
    <message>
        <source>%1 “%2” is stated by %3; %4 state something else.</source>
        <translation>%1 « %2 » selon %3 ; en désaccord : %4.</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valeur</translation>
    </message>
    <message>
        <source>Stated by</source>
        <translation>Indiqué par</translation>
    </message>
    <message>
        <source>Others say otherwise</source>
        <translation>Contredit par</translation>
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
        <translation>Qualité (%)</translation>
    </message>
    <message>
        <source>Median TTFT (ms)</source>
        <translation>TTFT médian (ms)</translation>
    </message>
    <message>
        <source>Decode (tok/s)</source>
        <translation>Décodage (tok/s)</translation>
    </message>
    <message>
        <source>Cost per case ($)</source>
        <translation>Coût par cas ($)</translation>
    </message>
    <message>
        <source>Run started</source>
        <translation>Début de l&apos;exécution</translation>
    </message>
    <message>
        <source>Reported model changed</source>
        <translation>Modèle signalé modifié</translation>
    </message>
    <message>
        <source>95% interval</source>
        <translation>Intervalle à 95 %</translation>
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
        <translation>Le fournisseur a signalé %1 ici mais %2 lors de l&apos;exécution précédente : le modèle a peut-être été remplacé sans préavis.</translation>
    </message>
    <message>
        <source>Run %1</source>
        <translation>Exécution %1</translation>
    </message>
    <message>
        <source>Run started</source>
        <translation>Début de l&apos;exécution</translation>
    </message>
    <message>
        <source>Suite</source>
        <translation>Suite</translation>
    </message>
    <message>
        <source>Quality (95% interval)</source>
        <translation>Qualité (intervalle à 95 %)</translation>
    </message>
    <message>
        <source>Median TTFT</source>
        <translation>TTFT médian</translation>
    </message>
    <message>
        <source>Decode</source>
        <translation>Décodage</translation>
    </message>
    <message>
        <source>Cost/case</source>
        <translation>Coût/cas</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Échecs</translation>
    </message>
    <message>
        <source>Reported model</source>
        <translation>Modèle signalé</translation>
    </message>
</context>
<context>
    <name>Slopscope::DriftView</name>
    <message>
        <source>Drift</source>
        <translation>Dérive</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Cible</translation>
    </message>
    <message>
        <source>Second chart</source>
        <translation>Second graphique</translation>
    </message>
    <message>
        <source>&amp;Limit dates</source>
        <translation>&amp;Limiter les dates</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Du</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Au</translation>
    </message>
    <message>
        <source>&amp;Target:</source>
        <translation>&amp;Cible :</translation>
    </message>
    <message>
        <source>Second &amp;chart:</source>
        <translation>Second &amp;graphique :</translation>
    </message>
    <message>
        <source>&amp;From</source>
        <translation>&amp;Du</translation>
    </message>
    <message>
        <source>Runs of the target</source>
        <translation>Exécutions de la cible</translation>
    </message>
    <message>
        <source>Reading the history…</source>
        <translation>Lecture de l&apos;historique…</translation>
    </message>
    <message>
        <source>Cannot read the history: %1</source>
        <translation>Impossible de lire l&apos;historique : %1</translation>
    </message>
    <message>
        <source>No run is recorded in %1 yet.</source>
        <translation>Aucune exécution n&apos;est encore enregistrée dans %1.</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) of %1.</source>
        <translation>
            <numerusform>%n exécution de %1.</numerusform>
            <numerusform>%n exécutions de %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 The reported model changed %n time(s) (▲ on the chart, ⚠ in the table).</source>
        <translation>
            <numerusform>%1 Le modèle signalé a changé %n fois (▲ sur le graphique, ⚠ dans le tableau).</numerusform>
            <numerusform>%1 Le modèle signalé a changé %n fois (▲ sur le graphique, ⚠ dans le tableau).</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Until</source>
        <translation>&amp;Au</translation>
    </message>
</context>
<context>
    <name>Slopscope::EscapedLineEdit</name>
    <message>
        <source>Invisible and direction-changing characters are shown as \u followed by their code (\u202E); type one that way to enter it, and \\ for a backslash before a &quot;u&quot;.</source>
        <translation>Les caractères invisibles et ceux qui changent la direction s&apos;affichent sous la forme \u suivi de leur code (\u202E) ; saisissez-en un ainsi pour l&apos;insérer, et \\ pour une barre oblique inverse devant un &quot;u&quot;.</translation>
    </message>
</context>
<context>
    <name>Slopscope::HeaderTableEditor</name>
    <message>
        <source>Add</source>
        <translation>Ajouter</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <source>row %1 has no header name</source>
        <translation>la ligne %1 n&apos;a pas de nom d&apos;en-tête</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is listed twice</source>
        <translation>&quot;%1&quot; figure deux fois</translation>
    </message>
</context>
<context>
    <name>Slopscope::HistoryBrowser</name>
    <message>
        <source>History</source>
        <translation>Historique</translation>
    </message>
    <message>
        <source>Filter runs</source>
        <translation>Filtrer les exécutions</translation>
    </message>
    <message>
        <source>Recorded runs</source>
        <translation>Exécutions enregistrées</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>&amp;Ouvrir</translation>
    </message>
    <message>
        <source>&amp;Export Run…</source>
        <translation>&amp;Exporter l&apos;exécution…</translation>
    </message>
    <message>
        <source>&amp;Delete Run…</source>
        <translation>&amp;Supprimer l&apos;exécution…</translation>
    </message>
    <message>
        <source>Cannot read the history: %1</source>
        <translation>Impossible de lire l&apos;historique : %1</translation>
    </message>
    <message>
        <source>No run is recorded in %1 yet.</source>
        <translation>Aucune exécution n&apos;est encore enregistrée dans %1.</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) in %1</source>
        <translation>
            <numerusform>%n exécution dans %1</numerusform>
            <numerusform>%n exécutions dans %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Exported the run to %1.</source>
        <translation>Exécution exportée vers %1.</translation>
    </message>
    <message>
        <source>Cannot export the run: %1</source>
        <translation>Impossible d&apos;exporter l&apos;exécution&#xa0;: %1</translation>
    </message>
    <message>
        <source>Cannot delete the run: %1</source>
        <translation>Impossible de supprimer l&apos;exécution&#xa0;: %1</translation>
    </message>
    <message>
        <source>Export Run</source>
        <translation>Exporter l&apos;exécution</translation>
    </message>
    <message>
        <source>Slopscope run (*.sqlite)</source>
        <translation>Exécution Slopscope (*.sqlite)</translation>
    </message>
    <message>
        <source>Delete Run</source>
        <translation>Supprimer l&apos;exécution</translation>
    </message>
    <message numerus="yes">
        <source>Delete the run of %1 started %2 and its %n result(s)? This cannot be undone.</source>
        <translation>
            <numerusform>Supprimer l&apos;exécution de %1 démarrée le %2, avec %n résultat&#xa0;? Cette action est irréversible.</numerusform>
            <numerusform>Supprimer l&apos;exécution de %1 démarrée le %2, avec ses %n résultats&#xa0;? Cette action est irréversible.</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <source>Co&amp;mpare</source>
        <translation>Co&amp;mparer</translation>
    </message>
    <message>
        <source>Compare the selected runs side by side; select two or more with Ctrl or Shift (Ctrl+D)</source>
        <translation>Comparer côte à côte les exécutions sélectionnées ; sélectionnez-en deux ou plus avec Ctrl ou Maj (Ctrl+D)</translation>
    </message>
    <message>
        <source>D&amp;rift…</source>
        <translation>Dé&amp;rive…</translation>
    </message>
    <message>
        <source>One target&apos;s quality, speed and cost across every run (Ctrl+Shift+D)</source>
        <translation>Qualité, vitesse et coût d&apos;une cible sur toutes les exécutions (Ctrl+Maj+D)</translation>
    </message>
    <message>
        <source>Filter by suite, prompt, target, state or run id</source>
        <translation>Filtrer par suite, prompt, cible, état ou id d&apos;exécution</translation>
    </message>
    <message>
        <source>All runs</source>
        <translation>Toutes les exécutions</translation>
    </message>
    <message>
        <source>Suite runs</source>
        <translation>Exécutions de suite</translation>
    </message>
    <message>
        <source>Quick compares</source>
        <translation>Comparaisons rapides</translation>
    </message>
    <message>
        <source>Show runs of kind</source>
        <translation>Afficher les exécutions de type</translation>
    </message>
    <message>
        <source>Suite runs, quick-compare exchanges, or both</source>
        <translation>Exécutions de suite, échanges de comparaison rapide, ou les deux</translation>
    </message>
    <message>
        <source>Open in &amp;Arena…</source>
        <translation>Ouvrir dans l&apos;&amp;arène…</translation>
    </message>
    <message>
        <source>Vote blind on this run&apos;s answers, two at a time (Ctrl+Shift+A)</source>
        <translation>Voter à l&apos;aveugle sur les réponses de cette exécution, deux à la fois (Ctrl+Shift+A)</translation>
    </message>
</context>
<context>
    <name>Slopscope::JsonObjectEdit</name>
    <message>
        <source>A JSON object, e.g. %1; empty for none</source>
        <translation>Un objet JSON, p. ex. %1 ; vide pour aucun</translation>
    </message>
    <message>
        <source>%1 must be a JSON object ({...}), not a %2</source>
        <translation>%1 doit être un objet JSON ({...}), et non de type %2</translation>
    </message>
</context>
<context>
    <name>Slopscope::KeyEntryDialog</name>
    <message>
        <source>Set %1</source>
        <translation>Définir %1</translation>
    </message>
    <message>
        <source>Enter the key for %1 (used by %2). It is stored in the system keychain and never shown again.</source>
        <translation>Saisissez la clé pour %1 (utilisée par %2). Elle est stockée dans le trousseau du système et ne sera plus jamais affichée.</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>Clé API</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Clé</translation>
    </message>
</context>
<context>
    <name>Slopscope::KeychainKeyStore</name>
    <message>
        <source>the system keychain</source>
        <translation>le trousseau du système</translation>
    </message>
</context>
<context>
    <name>Slopscope::KeyringSecrets</name>
    <message>
        <source>The stored key %1 was confirmed for %2, not for %3: allow it when the app asks before a run or with &quot;slopscope-cli keys allow-host %1 %3&quot;, or set %1 in the environment</source>
        <translation>La clé enregistrée %1 a été confirmée pour %2, et non pour %3 : autorisez-la lorsque l&apos;application le demande avant une exécution ou avec « slopscope-cli keys allow-host %1 %3 », ou définissez %1 dans l&apos;environnement</translation>
    </message>
</context>
<context>
    <name>Slopscope::KeysSettingsPage</name>
    <message>
        <source>API keys are kept in the system keychain, never in the workspace or the settings. An environment variable of the same name overrides the keychain.</source>
        <translation>Les clés API sont conservées dans le trousseau du système, jamais dans l&apos;espace de travail ni dans les paramètres. Une variable d&apos;environnement du même nom a priorité sur le trousseau.</translation>
    </message>
    <message>
        <source>API keys</source>
        <translation>Clés API</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Clé</translation>
    </message>
    <message>
        <source>Used by</source>
        <translation>Utilisée par</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>This workspace&apos;s providers need no API key: they are all simulated or local.</source>
        <translation>Les fournisseurs de cet espace de travail n&apos;ont besoin d&apos;aucune clé API&#xa0;: ils sont tous simulés ou locaux.</translation>
    </message>
    <message>
        <source>&amp;Set Key…</source>
        <translation>&amp;Définir la clé…</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Supprimer</translation>
    </message>
    <message>
        <source>checking…</source>
        <translation>vérification…</translation>
    </message>
    <message>
        <source>environment</source>
        <translation>environnement</translation>
    </message>
    <message>
        <source>keychain</source>
        <translation>trousseau</translation>
    </message>
    <message>
        <source>this session only</source>
        <translation>cette session uniquement</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>absente</translation>
    </message>
    <message>
        <source>unknown: keychain unavailable</source>
        <translation>inconnue&#xa0;: trousseau indisponible</translation>
    </message>
    <message>
        <source>%1 is set in the environment: that value is used, whatever the keychain holds, until the variable is unset.</source>
        <translation>La clé %1 est définie dans l&apos;environnement&#xa0;: cette valeur est utilisée, quel que soit le contenu du trousseau, tant que la variable n&apos;est pas supprimée.</translation>
    </message>
    <message>
        <source>%1 is kept for this session only. The keychain could not take it: %2</source>
        <translation>La clé %1 est conservée pour cette session uniquement. Le trousseau n&apos;a pas pu l&apos;accepter&#xa0;: %2</translation>
    </message>
    <message>
        <source>The keychain could not answer about %1: %2</source>
        <translation>Le trousseau n&apos;a pas pu répondre au sujet de %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>Saving %1…</source>
        <translation>Enregistrement de %1…</translation>
    </message>
    <message>
        <source>%1 is saved in the system keychain.</source>
        <translation>La clé %1 est enregistrée dans le trousseau du système.</translation>
    </message>
    <message>
        <source>%1 is kept for this session only: it works until Slopscope quits and is written nowhere.</source>
        <translation>La clé %1 est conservée pour cette session uniquement&#xa0;: elle fonctionne jusqu&apos;à la fermeture de Slopscope et n&apos;est écrite nulle part.</translation>
    </message>
    <message>
        <source>%1 was not saved: %2</source>
        <translation>La clé %1 n&apos;a pas été enregistrée&#xa0;: %2</translation>
    </message>
    <message>
        <source>Remove Key</source>
        <translation>Supprimer la clé</translation>
    </message>
    <message>
        <source>Remove %1 from the keychain? Providers that use it will fail until a key is set again.</source>
        <translation>Supprimer la clé %1 du trousseau&#xa0;? Les fournisseurs qui l&apos;utilisent échoueront jusqu&apos;à ce qu&apos;une clé soit de nouveau définie.</translation>
    </message>
    <message>
        <source>%1 is removed.</source>
        <translation>La clé %1 est supprimée.</translation>
    </message>
    <message>
        <source>%1 was not removed: %2</source>
        <translation>La clé %1 n&apos;a pas été supprimée&#xa0;: %2</translation>
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
        <translation>%1&#xa0;pts (%2 à %3)</translation>
    </message>
    <message>
        <source>%1 pts</source>
        <translation>%1&#xa0;pts</translation>
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
        <translation>Cible %1</translation>
    </message>
    <message numerus="yes">
        <source>Mean score over %n case(s) in their canonical wording; the range is a 95% bootstrap interval.</source>
        <translation>
            <numerusform>Score moyen sur %n cas dans sa formulation canonique&#xa0;; la plage est un intervalle bootstrap à 95&#xa0;%.</numerusform>
            <numerusform>Score moyen sur %n cas dans leur formulation canonique&#xa0;; la plage est un intervalle bootstrap à 95&#xa0;%.</numerusform>
        </translation>
    </message>
    <message>
        <source>Canonical minus reworded quality, in percentage points, over the cases run with variants; the range is a paired 95% bootstrap interval.</source>
        <translation>Qualité canonique moins qualité reformulée, en points de pourcentage, sur les cas exécutés avec variantes&#xa0;; la plage est un intervalle bootstrap apparié à 95&#xa0;%.</translation>
    </message>
    <message>
        <source>Unknown: the run had no rewordings (tick Variants).</source>
        <translation>Inconnue&#xa0;: l&apos;exécution n&apos;avait pas de reformulations (cochez Variantes).</translation>
    </message>
    <message numerus="yes">
        <source>Cost of 1,000 cases at the measured mean; %n answer(s) had no known price and are left out.</source>
        <translation>
            <numerusform>Coût de 1&#xa0;000 cas à la moyenne mesurée&#xa0;; %n réponse n&apos;avait pas de prix connu et est exclue.</numerusform>
            <numerusform>Coût de 1&#xa0;000 cas à la moyenne mesurée&#xa0;; %n réponses n&apos;avaient pas de prix connu et sont exclues.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cost of 1,000 cases at the mean measured over %n answer(s).</source>
        <translation>
            <numerusform>Coût de 1&#xa0;000 cas à la moyenne mesurée sur %n réponse.</numerusform>
            <numerusform>Coût de 1&#xa0;000 cas à la moyenne mesurée sur %n réponses.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Time to first token over %n completed answer(s) (nearest rank).</source>
        <translation>
            <numerusform>Délai avant le premier jeton sur %n réponse terminée (rang le plus proche).</numerusform>
            <numerusform>Délai avant le premier jeton sur %n réponses terminées (rang le plus proche).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Median decode speed after the first token, over %n answer(s).</source>
        <translation>
            <numerusform>Vitesse de décodage médiane après le premier jeton, sur %n réponse.</numerusform>
            <numerusform>Vitesse de décodage médiane après le premier jeton, sur %n réponses.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Answers that did not complete (failed, truncated, cancelled) out of %n.</source>
        <translation>
            <numerusform>Réponses non terminées (en échec, tronquées, annulées) sur %n.</numerusform>
            <numerusform>Réponses non terminées (en échec, tronquées, annulées) sur %n.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n case(s) graded</source>
        <translation>
            <numerusform>%n cas évalué</numerusform>
            <numerusform>%n cas évalués</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n answer(s) in all</source>
        <translation>
            <numerusform>%n réponse au total</numerusform>
            <numerusform>%n réponses au total</numerusform>
        </translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Cible</translation>
    </message>
    <message>
        <source>Quality (95% CI)</source>
        <translation>Qualité (IC 95&#xa0;%)</translation>
    </message>
    <message>
        <source>Brittleness</source>
        <translation>Fragilité</translation>
    </message>
    <message>
        <source>$ / 1k cases</source>
        <translation>$ / 1&#xa0;000 cas</translation>
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
        <translation>Décodage</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>Erreurs</translation>
    </message>
    <message>
        <source>n</source>
        <translation>n</translation>
    </message>
    <message numerus="yes">
        <source>%1% agreement, κ = %2, over %n answer(s) graded by a judge and rated by a person</source>
        <translation>
            <numerusform>%1 % d’accord, κ = %2, sur %n réponse évaluée par un juge et notée par une personne</numerusform>
            <numerusform>%1 % d’accord, κ = %2, sur %n réponses évaluées par un juge et notées par une personne</numerusform>
        </translation>
    </message>
    <message>
        <source>Unknown: no answer of this target has both a judge&apos;s verdict and a person&apos;s rating (rate answers in the matrix).</source>
        <translation>Inconnu : aucune réponse de cette cible n’a à la fois un verdict de juge et une note humaine (notez des réponses dans la matrice).</translation>
    </message>
    <message>
        <source>Judge %1: %2</source>
        <translation>Juge %1 : %2</translation>
    </message>
    <message>
        <source>Judge %1: no answer both graded</source>
        <translation>Juge %1 : aucune réponse notée par les deux</translation>
    </message>
    <message>
        <source>κ (Cohen&apos;s kappa): 1 is perfect agreement, 0 what chance would give.</source>
        <translation>κ (kappa de Cohen) : 1 est un accord parfait, 0 ce que donnerait le hasard.</translation>
    </message>
    <message>
        <source>Judge–human agreement</source>
        <translation>Accord juge–humain</translation>
    </message>
</context>
<context>
    <name>Slopscope::LeaderboardView</name>
    <message>
        <source>Leaderboard</source>
        <translation>Classement</translation>
    </message>
</context>
<context>
    <name>Slopscope::LocalDiscovery</name>
    <message>
        <source>not a JSON object</source>
        <translation>ce n&apos;est pas un objet JSON</translation>
    </message>
    <message>
        <source>no model list in the answer</source>
        <translation>aucune liste de modèles dans la réponse</translation>
    </message>
</context>
<context>
    <name>Slopscope::MainWindow</name>
    <message>
        <source>Targets</source>
        <translation>Cibles</translation>
    </message>
    <message>
        <source>Quadrant</source>
        <translation>Vue quadrant</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Exécution</translation>
    </message>
    <message>
        <source>Suite</source>
        <translation>Suite</translation>
    </message>
    <message>
        <source>Suite </source>
        <translation>Suite de tests </translation>
    </message>
    <message>
        <source>Repeats</source>
        <translation>Répétitions</translation>
    </message>
    <message>
        <source>  Repeats </source>
        <translation>  Répétitions </translation>
    </message>
    <message>
        <source>Variants</source>
        <translation>Variantes</translation>
    </message>
    <message>
        <source>Also send each case&apos;s rewordings, to measure brittleness.</source>
        <translation>Envoyer aussi les reformulations de chaque cas, pour mesurer la fragilité.</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>&amp;Lancer</translation>
    </message>
    <message>
        <source>Run the suite on the checked targets (Ctrl+R)</source>
        <translation>Lancer la suite sur les cibles cochées (Ctrl+R)</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>A&amp;rrêter</translation>
    </message>
    <message>
        <source>Stop the run, keeping what has arrived (Ctrl+.)</source>
        <translation>Arrêter l&apos;exécution en conservant ce qui est déjà arrivé (Ctrl+.)</translation>
    </message>
    <message>
        <source>%v / %m</source>
        <translation>%v / %m</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Résultats</translation>
    </message>
    <message>
        <source>Results matrix</source>
        <translation>Matrice des résultats</translation>
    </message>
    <message>
        <source>Answer diff</source>
        <translation>Différences entre réponses</translation>
    </message>
    <message>
        <source>&amp;Matrix</source>
        <translation>&amp;Matrice</translation>
    </message>
    <message>
        <source>&amp;Leaderboard</source>
        <translation>&amp;Classement</translation>
    </message>
    <message>
        <source>&amp;Diff</source>
        <translation>&amp;Différences</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;Export Quadrant…</source>
        <translation>&amp;Exporter le quadrant…</translation>
    </message>
    <message>
        <source>Export Quadrant</source>
        <translation>Exporter le quadrant</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG image (*.svg);;PDF (*.pdf)</source>
        <translation>Image PNG (*.png);;Image SVG (*.svg);;PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Cannot export the quadrant</source>
        <translation>Impossible d&apos;exporter le quadrant</translation>
    </message>
    <message>
        <source>Export &amp;Results…</source>
        <translation>Exporter les &amp;résultats…</translation>
    </message>
    <message>
        <source>Export Results</source>
        <translation>Exporter les résultats</translation>
    </message>
    <message>
        <source>HTML report (*.html);;PDF report (*.pdf);;Markdown report (*.md);;Summary (*.json);;Results, one JSON line each (*.jsonl);;Results table (*.csv);;Chart (*.png *.svg)</source>
        <translation>Rapport HTML (*.html);;Rapport PDF (*.pdf);;Rapport Markdown (*.md);;Résumé (*.json);;Résultats, une ligne JSON chacun (*.jsonl);;Tableau des résultats (*.csv);;Graphique (*.png *.svg)</translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation>Exporté&#xa0;: %1</translation>
    </message>
    <message>
        <source>Cannot export the results</source>
        <translation>Impossible d&apos;exporter les résultats</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <source>Results &amp;Matrix</source>
        <translation>&amp;Matrice des résultats</translation>
    </message>
    <message>
        <source>Show &amp;Results</source>
        <translation>Afficher les &amp;résultats</translation>
    </message>
    <message>
        <source>Show &amp;Targets</source>
        <translation>Afficher les &amp;cibles</translation>
    </message>
    <message>
        <source>Show &amp;Quadrant</source>
        <translation>Afficher le &amp;quadrant</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Aid&amp;e</translation>
    </message>
    <message>
        <source>&amp;About Slopscope</source>
        <translation>À &amp;propos de Slopscope</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>À propos de &amp;Qt</translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n case(s))</source>
        <translation>
            <numerusform>%1 (%n cas)</numerusform>
            <numerusform>%1 (%n cas)</numerusform>
        </translation>
    </message>
    <message>
        <source>no workspace</source>
        <translation>aucun espace de travail</translation>
    </message>
    <message>
        <source>%1 — Slopscope %2</source>
        <translation>%1 — Slopscope %2</translation>
    </message>
    <message numerus="yes">
        <source>%n target(s)</source>
        <translation>
            <numerusform>%n cible</numerusform>
            <numerusform>%n cibles</numerusform>
        </translation>
    </message>
    <message>
        <source>History not recorded: %1</source>
        <translation>Historique non enregistré&#xa0;: %1</translation>
    </message>
    <message>
        <source>There are no results to export yet: run a suite first.</source>
        <translation>Il n&apos;y a pas encore de résultats à exporter&#xa0;: exécutez d&apos;abord une suite.</translation>
    </message>
    <message>
        <source>%1: choose a file ending in .html, .pdf, .md, .json, .jsonl, .csv, .png or .svg.</source>
        <translation>%1&#xa0;: choisissez un fichier se terminant par .html, .pdf, .md, .json, .jsonl, .csv, .png ou .svg.</translation>
    </message>
    <message>
        <source>History: saved again.</source>
        <translation>Historique&#xa0;: de nouveau enregistré.</translation>
    </message>
    <message>
        <source>History: %1 (waiting)</source>
        <translation>Historique&#xa0;: %1 (en attente)</translation>
    </message>
    <message numerus="yes">
        <source>History: %1. The run was stopped; %n finished result(s) wait in memory and are saved as soon as the disk allows.</source>
        <translation>
            <numerusform>Historique&#xa0;: %1. L&apos;exécution a été arrêtée&#xa0;; %n résultat terminé attend en mémoire et sera enregistré dès que le disque le permettra.</numerusform>
            <numerusform>Historique&#xa0;: %1. L&apos;exécution a été arrêtée&#xa0;; %n résultats terminés attendent en mémoire et seront enregistrés dès que le disque le permettra.</numerusform>
        </translation>
    </message>
    <message>
        <source>History: %1</source>
        <translation>Historique&#xa0;: %1</translation>
    </message>
    <message>
        <source>%1 of %2 · %3</source>
        <translation>%1 sur %2 · %3</translation>
    </message>
    <message>
        <source>Open a suite first.</source>
        <translation>Ouvrez d&apos;abord une suite.</translation>
    </message>
    <message>
        <source>Check at least one target.</source>
        <translation>Cochez au moins une cible.</translation>
    </message>
    <message>
        <source>Cannot start the run</source>
        <translation>Impossible de lancer l&apos;exécution</translation>
    </message>
    <message numerus="yes">
        <source>Running %1 on %n target(s)…</source>
        <translation>
            <numerusform>Exécution de %1 sur %n cible…</numerusform>
            <numerusform>Exécution de %1 sur %n cibles…</numerusform>
        </translation>
    </message>
    <message>
        <source>attempt %1</source>
        <translation>tentative %1</translation>
    </message>
    <message>
        <source>Case %1</source>
        <translation>Cas %1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
    <message>
        <source>pass</source>
        <translation>réussi</translation>
    </message>
    <message>
        <source>fail (score %1)</source>
        <translation>échec (score %1)</translation>
    </message>
    <message>
        <source>spent $%1</source>
        <translation>$%1 dépensés</translation>
    </message>
    <message>
        <source>Run stopped: %1.</source>
        <translation>Exécution arrêtée&#xa0;: %1.</translation>
    </message>
    <message numerus="yes">
        <source>Run finished: %n result(s).</source>
        <translation>
            <numerusform>Exécution terminée&#xa0;: %n résultat.</numerusform>
            <numerusform>Exécution terminée&#xa0;: %n résultats.</numerusform>
        </translation>
    </message>
    <message>
        <source>Open Workspace</source>
        <translation>Ouvrir un espace de travail</translation>
    </message>
    <message>
        <source>Slopscope workspaces (*.json);;All files (*)</source>
        <translation>Espaces de travail Slopscope (*.json);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Cannot open workspace</source>
        <translation>Impossible d&apos;ouvrir l&apos;espace de travail</translation>
    </message>
    <message>
        <source>Open Suite</source>
        <translation>Ouvrir une suite</translation>
    </message>
    <message>
        <source>Slopscope suites (*.json);;All files (*)</source>
        <translation>Suites Slopscope (*.json);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Cannot open suite</source>
        <translation>Impossible d&apos;ouvrir la suite</translation>
    </message>
    <message>
        <source>About Slopscope</source>
        <translation>À propos de Slopscope</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Slopscope %1&lt;/h3&gt;&lt;p&gt;Price, speed and quality of LLM providers, measured on your own prompts.&lt;/p&gt;&lt;p&gt;MIT licence. Third-party notices ship with the application.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Slopscope %1&lt;/h3&gt;&lt;p&gt;Prix, vitesse et qualité des fournisseurs de LLM, mesurés sur vos propres invites.&lt;/p&gt;&lt;p&gt;Licence MIT. Les mentions relatives aux composants tiers sont fournies avec l&apos;application.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Paramètres</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Langue</translation>
    </message>
    <message>
        <source>The language changes when Slopscope starts again.</source>
        <translation>La langue change au prochain démarrage de Slopscope.</translation>
    </message>
    <message>
        <source>System Default</source>
        <translation>Langue du système</translation>
    </message>
    <message>
        <source>&amp;History…</source>
        <translation>&amp;Historique…</translation>
    </message>
    <message>
        <source>Stop the current run before opening another from the history.</source>
        <translation>Arrêtez l&apos;exécution en cours avant d&apos;en ouvrir une autre depuis l&apos;historique.</translation>
    </message>
    <message>
        <source>No history is open.</source>
        <translation>Aucun historique n&apos;est ouvert.</translation>
    </message>
    <message>
        <source>Showing the recorded run of %1 from %2 (%3): nothing was sent.</source>
        <translation>Affichage de l&apos;exécution enregistrée de %1 du %2 (%3)&#xa0;: rien n&apos;a été envoyé.</translation>
    </message>
    <message>
        <source>Cannot open the run</source>
        <translation>Impossible d&apos;ouvrir l&apos;exécution</translation>
    </message>
    <message>
        <source>History Damaged</source>
        <translation>Historique endommagé</translation>
    </message>
    <message>
        <source>&amp;Restore Backup</source>
        <translation>&amp;Restaurer la sauvegarde</translation>
    </message>
    <message>
        <source>Keep the &amp;Empty History</source>
        <translation>Garder l’historique &amp;vide</translation>
    </message>
    <message>
        <source>History restored from %1.</source>
        <translation>Historique restauré depuis %1.</translation>
    </message>
    <message>
        <source>Routing &amp;Policies…</source>
        <translation>&amp;Politiques de routage…</translation>
    </message>
    <message>
        <source>Replay routing policies over this run&apos;s results (Ctrl+Shift+R)</source>
        <translation>Rejouer des politiques de routage sur les résultats de cette exécution (Ctrl+Maj+R)</translation>
    </message>
    <message>
        <source>the recorded run of %1</source>
        <translation>l&apos;exécution enregistrée du %1</translation>
    </message>
    <message>
        <source>A run is going: its results are replayed when it ends.</source>
        <translation>Une exécution est en cours&#xa0;: ses résultats seront rejoués à la fin.</translation>
    </message>
    <message>
        <source>the last run</source>
        <translation>la dernière exécution</translation>
    </message>
    <message>
        <source>No finished run to replay yet: run a suite, or open one from File ▸ History.</source>
        <translation>Aucune exécution terminée à rejouer&#xa0;: exécutez une suite de tests ou ouvrez-en une via Fichier ▸ Historique.</translation>
    </message>
    <message>
        <source>A run is going.</source>
        <translation>Une exécution est en cours.</translation>
    </message>
    <message>
        <source>Fetching records into the history, and none is open.</source>
        <translation>La récupération s’enregistre dans l’historique, et aucun n’est ouvert.</translation>
    </message>
    <message>
        <source>Cannot fetch: %1</source>
        <translation>Récupération impossible : %1</translation>
    </message>
    <message numerus="yes">
        <source>Fetching %n answer(s)</source>
        <translation>
            <numerusform>Récupération de %n réponse</numerusform>
            <numerusform>Récupération de %n réponses</numerusform>
        </translation>
    </message>
    <message>
        <source>The fetch stopped: %1.</source>
        <translation>La récupération s’est arrêtée : %1.</translation>
    </message>
    <message numerus="yes">
        <source>Fetched %n answer(s)</source>
        <translation>
            <numerusform>%n réponse récupérée</numerusform>
            <numerusform>%n réponses récupérées</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n result(s) were still being written; the history will have them.</source>
        <translation>
            <numerusform>%n résultat était encore en cours d’écriture ; l’historique l’aura.</numerusform>
            <numerusform>%n résultats étaient encore en cours d’écriture ; l’historique les aura.</numerusform>
        </translation>
    </message>
    <message>
        <source>Fetched, but the run cannot be shown again: %1</source>
        <translation>Récupéré, mais l’exécution ne peut pas être réaffichée : %1</translation>
    </message>
    <message numerus="yes">
        <source>and %n judge call(s)…</source>
        <translation>
            <numerusform>et %n appel au juge…</numerusform>
            <numerusform>et %n appels au juge…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>and %n judge call(s).</source>
        <translation>
            <numerusform>et %n appel au juge.</numerusform>
            <numerusform>et %n appels au juge.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>(%n verdict(s) or pick(s) could not be asked: %1)</source>
        <translation>
            <numerusform>(%n verdict ou choix n’a pas pu être demandé : %1)</numerusform>
            <numerusform>(%n verdicts ou choix n’ont pas pu être demandés : %1)</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Préférences…</translation>
    </message>
    <message numerus="yes">
        <source>The keychain could not give %n key(s): %1</source>
        <translation>
            <numerusform>Le trousseau n&apos;a pas pu fournir %n clé&#xa0;: %1</numerusform>
            <numerusform>Le trousseau n&apos;a pas pu fournir %n clés&#xa0;: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Add Target…</source>
        <translation>&amp;Ajouter une cible…</translation>
    </message>
    <message>
        <source>Re&amp;move Target</source>
        <translation>&amp;Supprimer la cible</translation>
    </message>
    <message>
        <source>Select a target in the lineup first.</source>
        <translation>Choisissez d&apos;abord une cible dans la sélection.</translation>
    </message>
    <message>
        <source>Cannot remove the target</source>
        <translation>Impossible de supprimer la cible</translation>
    </message>
    <message>
        <source>Removed %1 (Undo brings it back).</source>
        <translation>Cible %1 supprimée (Annuler la rétablit).</translation>
    </message>
    <message>
        <source>Stop the run before changing the lineup.</source>
        <translation>Arrêtez l&apos;exécution avant de modifier la sélection.</translation>
    </message>
    <message>
        <source>Cannot add the target</source>
        <translation>Impossible d&apos;ajouter la cible</translation>
    </message>
    <message>
        <source>Add %1</source>
        <translation>Ajouter %1</translation>
    </message>
    <message>
        <source>Added %1.</source>
        <translation>Cible %1 ajoutée.</translation>
    </message>
    <message>
        <source>Remove %1</source>
        <translation>Supprimer %1</translation>
    </message>
    <message>
        <source>The run was not started.</source>
        <translation>L’exécution n’a pas été lancée.</translation>
    </message>
    <message>
        <source>Waiting for the keychain to give the workspace&apos;s API keys…</source>
        <translation>En attente des clés API de l’espace de travail depuis le trousseau…</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>É&amp;dition</translation>
    </message>
    <message>
        <source>Open &amp;Workspace…</source>
        <translation>Ouvrir un espace de &amp;travail…</translation>
    </message>
    <message>
        <source>Show &amp;Suite</source>
        <translation>Afficher la &amp;suite</translation>
    </message>
    <message>
        <source>Cannot run the suite: %1</source>
        <translation>Impossible d&apos;exécuter la suite : %1</translation>
    </message>
    <message>
        <source>Quick Compare</source>
        <translation>Comparaison rapide</translation>
    </message>
    <message>
        <source>The keychain is still giving the workspace&apos;s API keys; send again in a moment.</source>
        <translation>Le trousseau fournit encore les clés API de l&apos;espace de travail ; renvoyez dans un instant.</translation>
    </message>
    <message>
        <source>&amp;Quick Compare</source>
        <translation>&amp;Comparaison rapide</translation>
    </message>
    <message>
        <source>Send one prompt or a chat to every checked target (Ctrl+K)</source>
        <translation>Envoyer un prompt ou une conversation à chaque cible cochée (Ctrl+K)</translation>
    </message>
    <message>
        <source>Quick compare cases</source>
        <translation>Cas de comparaison rapide</translation>
    </message>
    <message>
        <source>Saved as case &quot;%1&quot; in the suite &quot;%2&quot;.</source>
        <translation>Enregistré comme cas « %1 » dans la suite « %2 ».</translation>
    </message>
    <message>
        <source>Send the key to a new host?</source>
        <translation>Envoyer la clé à un nouvel hôte ?</translation>
    </message>
    <message>
        <source>The stored key %1 has been sent only to %2.

Provider &quot;%3&quot; would now send it to %4. If you did not change this provider&apos;s address yourself, the workspace may be trying to collect your key.</source>
        <translation>La clé enregistrée %1 n&apos;a été envoyée qu&apos;à %2.

Le fournisseur « %3 » l&apos;enverrait maintenant à %4. Si vous n&apos;avez pas modifié vous-même l&apos;adresse de ce fournisseur, l&apos;espace de travail tente peut-être de récupérer votre clé.</translation>
    </message>
    <message>
        <source>Send to %1</source>
        <translation>Envoyer à %1</translation>
    </message>
    <message>
        <source>Run not started: the key %1 was not sent to %2.</source>
        <translation>Exécution non démarrée : la clé %1 n&apos;a pas été envoyée à %2.</translation>
    </message>
    <message>
        <source>&amp;New Suite</source>
        <translation>&amp;Nouvelle suite</translation>
    </message>
    <message>
        <source>&amp;Open Suite…</source>
        <translation>&amp;Ouvrir une suite…</translation>
    </message>
    <message>
        <source>Open &amp;Recent Suite</source>
        <translation>Ouvrir une suite &amp;récente</translation>
    </message>
    <message>
        <source>&amp;Save Suite</source>
        <translation>&amp;Enregistrer la suite</translation>
    </message>
    <message>
        <source>Save Suite &amp;As…</source>
        <translation>Enregistrer la suite &amp;sous…</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Annuler</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Rétablir</translation>
    </message>
    <message>
        <source>&amp;Add Case</source>
        <translation>&amp;Ajouter un cas</translation>
    </message>
    <message>
        <source>D&amp;uplicate Case</source>
        <translation>D&amp;upliquer le cas</translation>
    </message>
    <message>
        <source>Re&amp;move Case</source>
        <translation>&amp;Supprimer le cas</translation>
    </message>
    <message>
        <source>Move Case U&amp;p</source>
        <translation>Déplacer le cas vers le &amp;haut</translation>
    </message>
    <message>
        <source>Move Case Do&amp;wn</source>
        <translation>Déplacer le cas vers le &amp;bas</translation>
    </message>
    <message>
        <source>Untitled suite</source>
        <translation>Suite sans titre</translation>
    </message>
    <message>
        <source>%1[*] — %2 — Slopscope %3</source>
        <translation>%1[*] — %2 — Slopscope %3</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>%1 ouvert</translation>
    </message>
    <message>
        <source>The suite cannot be saved yet: %1</source>
        <translation>La suite ne peut pas encore être enregistrée : %1</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 enregistré</translation>
    </message>
    <message>
        <source>Cannot save the suite</source>
        <translation>Impossible d&apos;enregistrer la suite</translation>
    </message>
    <message>
        <source>Save Suite As</source>
        <translation>Enregistrer la suite sous</translation>
    </message>
    <message>
        <source>Slopscope suites (*.json)</source>
        <translation>Suites Slopscope (*.json)</translation>
    </message>
    <message>
        <source>Unsaved suite</source>
        <translation>Suite non enregistrée</translation>
    </message>
    <message>
        <source>The suite &quot;%1&quot; has changes that are not saved. Save them?</source>
        <translation>La suite « %1 » contient des modifications non enregistrées. Les enregistrer ?</translation>
    </message>
    <message>
        <source>&amp;%1 %2</source>
        <translation>&amp;%1 %2</translation>
    </message>
    <message>
        <source>No recent suites</source>
        <translation>Aucune suite récente</translation>
    </message>
    <message>
        <source>%1 no longer exists; it was removed from the recent suites.</source>
        <translation>%1 n&apos;existe plus ; il a été retiré des suites récentes.</translation>
    </message>
    <message>
        <source>Disa&amp;greements</source>
        <translation>Désacc&amp;ords</translation>
    </message>
    <message>
        <source>Disagreements between the answers</source>
        <translation>Désaccords entre les réponses</translation>
    </message>
    <message>
        <source>&amp;Drift…</source>
        <translation>&amp;Dérive…</translation>
    </message>
    <message>
        <source>One target&apos;s quality, speed and cost across the recorded runs</source>
        <translation>Qualité, vitesse et coût d&apos;une cible sur les exécutions enregistrées</translation>
    </message>
    <message>
        <source>Blind &amp;Arena…</source>
        <translation>&amp;Arène à l&apos;aveugle…</translation>
    </message>
    <message>
        <source>Compare two anonymous answers at a time and rank the targets by your votes (Ctrl+Shift+A)</source>
        <translation>Comparer deux réponses anonymes à la fois et classer les cibles selon vos votes (Ctrl+Maj+A)</translation>
    </message>
    <message>
        <source>The arena opens once the run has ended.</source>
        <translation>L&apos;arène s&apos;ouvre une fois l&apos;exécution terminée.</translation>
    </message>
    <message>
        <source>No finished run to vote on: run a suite, or open one from File ▸ History.</source>
        <translation>Aucune exécution terminée sur laquelle voter : lancez une suite, ou ouvrez-en une via Fichier ▸ Historique.</translation>
    </message>
    <message>
        <source>Blind Arena (votes kept until closed: this run is not recorded)</source>
        <translation>Arène à l&apos;aveugle (votes conservés jusqu&apos;à la fermeture : cette exécution n&apos;est pas enregistrée)</translation>
    </message>
    <message>
        <source>The workspace changed since Preferences opened; close and reopen it to edit the current one.</source>
        <translation>L’espace de travail a changé depuis l’ouverture des Préférences ; fermez-les et rouvrez-les pour modifier l’actuel.</translation>
    </message>
    <message>
        <source>Edit providers and targets</source>
        <translation>Modifier les fournisseurs et les cibles</translation>
    </message>
    <message>
        <source>Save Wor&amp;kspace</source>
        <translation>Enregistrer l’espace de &amp;travail</translation>
    </message>
    <message>
        <source>Save Workspace As…</source>
        <translation>Enregistrer l’espace de travail sous…</translation>
    </message>
    <message>
        <source>Stop the run before changing providers or targets.</source>
        <translation>Arrêtez l’exécution avant de modifier les fournisseurs ou les cibles.</translation>
    </message>
    <message>
        <source>%1 (Undo takes it back).</source>
        <translation>%1 (Annuler le défait).</translation>
    </message>
    <message>
        <source>A run is going: providers and targets can be edited when it ends.</source>
        <translation>Une exécution est en cours : les fournisseurs et les cibles pourront être modifiés à sa fin.</translation>
    </message>
    <message>
        <source>Saved the workspace to %1.</source>
        <translation>Espace de travail enregistré dans %1.</translation>
    </message>
    <message>
        <source>Cannot save the workspace</source>
        <translation>Impossible d’enregistrer l’espace de travail</translation>
    </message>
    <message>
        <source>workspace</source>
        <translation>espace de travail</translation>
    </message>
    <message>
        <source>Save Workspace As</source>
        <translation>Enregistrer l’espace de travail sous</translation>
    </message>
    <message>
        <source>Unsaved workspace</source>
        <translation>Espace de travail non enregistré</translation>
    </message>
    <message>
        <source>The workspace &quot;%1&quot; has changes that are not saved. Save them?</source>
        <translation>L’espace de travail « %1 » contient des modifications non enregistrées. Les enregistrer ?</translation>
    </message>
    <message>
        <source>%1. No new cell is sent until they are saved.</source>
        <translation>%1. Aucune nouvelle cellule n’est envoyée tant qu’ils ne sont pas enregistrés.</translation>
    </message>
    <message>
        <source>%1. No new cell is sent until they are saved. %2</source>
        <translation>%1. Aucune nouvelle cellule n’est envoyée tant qu’ils ne sont pas enregistrés. %2</translation>
    </message>
    <message>
        <source>Answer whether to continue without history first.</source>
        <translation>Indiquez d’abord s’il faut continuer sans historique.</translation>
    </message>
    <message>
        <source>History Unavailable</source>
        <translation>Historique indisponible</translation>
    </message>
    <message>
        <source>The run history cannot be saved: %1

Without it, results are lost when Slopscope closes. Make the folder writable and start again, or continue without history for this session.</source>
        <translation>Impossible d’enregistrer l’historique des exécutions : %1

Sans lui, les résultats sont perdus à la fermeture de Slopscope. Rendez le dossier accessible en écriture et relancez, ou continuez sans historique pour cette session.</translation>
    </message>
    <message>
        <source>&amp;Continue Without History</source>
        <translation>&amp;Continuer sans historique</translation>
    </message>
    <message>
        <source>No history: results of this session are not saved.</source>
        <translation>Pas d’historique : les résultats de cette session ne sont pas enregistrés.</translation>
    </message>
    <message>
        <source>Re&amp;do</source>
        <translation>&amp;Rétablir</translation>
    </message>
    <message>
        <source>&amp;Undo %1</source>
        <translation>&amp;Annuler %1</translation>
    </message>
    <message>
        <source>Re&amp;do %1</source>
        <translation>&amp;Rétablir %1</translation>
    </message>
    <message>
        <source>no cap</source>
        <translation>sans plafond</translation>
    </message>
    <message>
        <source>Spend cap</source>
        <translation>Plafond de dépenses</translation>
    </message>
    <message>
        <source>Stop a run or a quick-compare chat once it has cost this much (0: no cap).</source>
        <translation>Arrêter une exécution ou un chat de comparaison rapide dès qu&apos;il a coûté ce montant (0 : sans plafond).</translation>
    </message>
    <message>
        <source>  Spend &amp;cap </source>
        <translation>  &amp;Plafond de dépenses </translation>
    </message>
    <message>
        <source>Retry &amp;Broken-Off Answers</source>
        <translation>Relancer les réponses &amp;interrompues</translation>
    </message>
    <message>
        <source>Send again an answer whose stream broke off; the new answer replaces the partial one, and both are paid for.</source>
        <translation>Renvoyer une réponse dont le flux s&apos;est interrompu ; la nouvelle réponse remplace la réponse partielle, et les deux sont payées.</translation>
    </message>
    <message>
        <source>Cannot open the run in the arena: %1</source>
        <translation>Impossible d&apos;ouvrir l&apos;exécution dans l&apos;arène : %1</translation>
    </message>
    <message>
        <source>Key over Plain HTTP</source>
        <translation>Clé en HTTP non chiffré</translation>
    </message>
    <message>
        <source>Send the key over plain HTTP to %1?</source>
        <translation>Envoyer la clé en HTTP non chiffré à %1 ?</translation>
    </message>
    <message>
        <source>Provider &quot;%1&quot; has an http:// address, so its key would cross the network unencrypted: anyone on the way can read it. Allow this only on a network you trust (a server on your LAN, for example).</source>
        <translation>Le fournisseur &quot;%1&quot; a une adresse http://, sa clé traverserait donc le réseau sans chiffrement : toute personne sur le trajet peut la lire. N&apos;autorisez cela que sur un réseau de confiance (un serveur de votre réseau local, par exemple).</translation>
    </message>
    <message>
        <source>Allow &amp;Once</source>
        <translation>Autoriser &amp;une fois</translation>
    </message>
    <message>
        <source>&amp;Always for This Host</source>
        <translation>&amp;Toujours pour cet hôte</translation>
    </message>
    <message>
        <source>The key is not sent over plain HTTP to %1: those cells are refused.</source>
        <translation>La clé n&apos;est pas envoyée en HTTP non chiffré à %1 : ces cellules sont refusées.</translation>
    </message>
    <message>
        <source>Proxy credentials kept for this session. Run again to send the requests the proxy refused.</source>
        <translation>Identifiants du proxy conservés pour cette session. Relancez pour envoyer les requêtes refusées par le proxy.</translation>
    </message>
</context>
<context>
    <name>Slopscope::MessagesEditor</name>
    <message>
        <source>Role</source>
        <translation>Rôle</translation>
    </message>
    <message>
        <source>Content</source>
        <translation>Contenu</translation>
    </message>
    <message>
        <source>Add message</source>
        <translation>Ajouter un message</translation>
    </message>
    <message>
        <source>Remove message</source>
        <translation>Supprimer le message</translation>
    </message>
</context>
<context>
    <name>Slopscope::NWayDiffView</name>
    <message>
        <source>&amp;Case</source>
        <translation>&amp;Cas</translation>
    </message>
    <message>
        <source>Case to compare</source>
        <translation>Cas à comparer</translation>
    </message>
    <message>
        <source>Disputed facts</source>
        <translation>Faits contestés</translation>
    </message>
    <message>
        <source>%1 (no answer yet)</source>
        <translation>%1 (pas encore de réponse)</translation>
    </message>
    <message>
        <source>Answer of %1</source>
        <translation>Réponse de %1</translation>
    </message>
    <message>
        <source>No results to compare yet.</source>
        <translation>Pas encore de résultats à comparer.</translation>
    </message>
    <message>
        <source>No disputed numbers, dates or names.</source>
        <translation>Aucun nombre, date ou nom contesté.</translation>
    </message>
    <message numerus="yes">
        <source>%n disputed fact(s), highlighted in orange; agreed ones are underlined.</source>
        <translation>
            <numerusform>%n fait contesté, surligné en orange ; ceux qui font consensus sont soulignés.</numerusform>
            <numerusform>%n faits contestés, surlignés en orange ; ceux qui font consensus sont soulignés.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing disputed in this answer.</source>
        <translation>Rien de contesté dans cette réponse.</translation>
    </message>
    <message>
        <source>Disputed here: %1</source>
        <translation>Contesté ici : %1</translation>
    </message>
    <message>
        <source>Comparing…</source>
        <translation>Comparaison…</translation>
    </message>
</context>
<context>
    <name>Slopscope::PlainHttpHostsBox</name>
    <message>
        <source>Keys over plain HTTP</source>
        <translation>Clés en HTTP non chiffré</translation>
    </message>
    <message>
        <source>Hosts you allowed to receive a key without TLS (http://). Anyone on the network path can read a key sent to them. Revoke a host to be asked again.</source>
        <translation>Hôtes autorisés à recevoir une clé sans TLS (http://). Toute personne sur le chemin réseau peut lire une clé qui leur est envoyée. Révoquez un hôte pour que la question soit reposée.</translation>
    </message>
    <message>
        <source>Hosts allowed to receive a key over plain HTTP</source>
        <translation>Hôtes autorisés à recevoir une clé en HTTP non chiffré</translation>
    </message>
    <message>
        <source>Re&amp;voke</source>
        <translation>&amp;Révoquer</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(aucun)</translation>
    </message>
</context>
<context>
    <name>Slopscope::ProviderSettingsForm</name>
    <message>
        <source>Base &amp;URL:</source>
        <translation>&amp;URL de base :</translation>
    </message>
    <message>
        <source>Answered by the embedded simulator: its address is chosen when a run starts.</source>
        <translation>Répondu par le simulateur intégré : son adresse est choisie au démarrage d’une exécution.</translation>
    </message>
    <message>
        <source>Max &amp;concurrent requests:</source>
        <translation>Requêtes &amp;simultanées max. :</translation>
    </message>
    <message>
        <source>Max &amp;retries:</source>
        <translation>&amp;Tentatives max. :</translation>
    </message>
    <message>
        <source>Follow the environment</source>
        <translation>Suivre l’environnement</translation>
    </message>
    <message>
        <source>None (direct)</source>
        <translation>Aucun (direct)</translation>
    </message>
    <message>
        <source>This proxy:</source>
        <translation>Ce proxy :</translation>
    </message>
    <message>
        <source>Pro&amp;xy:</source>
        <translation>Pro&amp;xy :</translation>
    </message>
    <message>
        <source>Allow the key over plain &amp;HTTP</source>
        <translation>Autoriser la clé en &amp;HTTP non chiffré</translation>
    </message>
    <message>
        <source>Send the key even when the address is http:// and not this computer. Anyone on the network between can read it.</source>
        <translation>Envoyer la clé même si l’adresse est en http:// et n’est pas cet ordinateur. Toute personne sur le réseau intermédiaire peut la lire.</translation>
    </message>
    <message>
        <source>Timeouts</source>
        <translation>Délais d’expiration</translation>
    </message>
    <message>
        <source>Connect:</source>
        <translation>Connexion :</translation>
    </message>
    <message>
        <source>First byte:</source>
        <translation>Premier octet :</translation>
    </message>
    <message>
        <source>First token:</source>
        <translation>Premier jeton :</translation>
    </message>
    <message>
        <source>Idle:</source>
        <translation>Inactivité :</translation>
    </message>
    <message>
        <source>Content idle:</source>
        <translation>Inactivité du contenu :</translation>
    </message>
    <message>
        <source>Total:</source>
        <translation>Total :</translation>
    </message>
    <message>
        <source>%1.proxy: enter the proxy&apos;s URL, or choose another proxy setting</source>
        <translation>%1.proxy : saisissez l’URL du proxy ou choisissez un autre réglage de proxy</translation>
    </message>
    <message>
        <source>Targets name their provider by this id; renaming it renames it in them too.</source>
        <translation>Les cibles désignent leur fournisseur par cet id ; le renommer le renomme aussi dans les cibles.</translation>
    </message>
    <message>
        <source>&amp;Id:</source>
        <translation>&amp;Id :</translation>
    </message>
    <message>
        <source>OpenAI Chat Completions (and compatible servers)</source>
        <translation>OpenAI Chat Completions (et serveurs compatibles)</translation>
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
        <translation>&amp;Dialecte :</translation>
    </message>
    <message>
        <source>none (a local server)</source>
        <translation>aucune (serveur local)</translation>
    </message>
    <message>
        <source>The name the key is kept under: a keychain entry (Settings ▸ Keys) or an environment variable. The key itself is never written to the workspace.</source>
        <translation>Le nom sous lequel la clé est conservée : une entrée du trousseau (Paramètres ▸ Clés) ou une variable d&apos;environnement. La clé elle-même n&apos;est jamais écrite dans l&apos;espace de travail.</translation>
    </message>
    <message>
        <source>API &amp;key name:</source>
        <translation>Nom de la &amp;clé API :</translation>
    </message>
    <message>
        <source>Provider %1</source>
        <translation>Fournisseur %1</translation>
    </message>
    <message>
        <source>Headers</source>
        <translation>En-têtes</translation>
    </message>
    <message>
        <source>Sent with every request, and written to the workspace as they are:</source>
        <translation>Envoyés avec chaque requête, et écrits tels quels dans l&apos;espace de travail :</translation>
    </message>
    <message>
        <source>Header</source>
        <translation>En-tête</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valeur</translation>
    </message>
    <message>
        <source>Add header</source>
        <translation>Ajouter un en-tête</translation>
    </message>
    <message>
        <source>Remove header</source>
        <translation>Supprimer l&apos;en-tête</translation>
    </message>
    <message>
        <source>Secret headers: their values are kept in the keychain (Settings ▸ Keys) or an environment variable under the name given here, and are never shown or written to the workspace.</source>
        <translation>En-têtes secrets : leurs valeurs sont conservées dans le trousseau (Paramètres ▸ Clés) ou dans une variable d&apos;environnement sous le nom indiqué ici, et ne sont jamais affichées ni écrites dans l&apos;espace de travail.</translation>
    </message>
    <message>
        <source>Keychain entry or variable</source>
        <translation>Entrée du trousseau ou variable</translation>
    </message>
    <message>
        <source>Secret headers</source>
        <translation>En-têtes secrets</translation>
    </message>
    <message>
        <source>Add secret header</source>
        <translation>Ajouter un en-tête secret</translation>
    </message>
    <message>
        <source>Remove secret header</source>
        <translation>Supprimer l&apos;en-tête secret</translation>
    </message>
    <message>
        <source>Certificate authorities</source>
        <translation>Autorités de certification</translation>
    </message>
    <message>
        <source>A PEM file of extra authorities to trust for this provider, besides the system&apos;s (a company proxy&apos;s or a private server&apos;s).</source>
        <translation>Un fichier PEM d&apos;autorités supplémentaires à approuver pour ce fournisseur, en plus de celles du système (celles d&apos;un proxy d&apos;entreprise ou d&apos;un serveur privé).</translation>
    </message>
    <message>
        <source>none: only the system&apos;s authorities</source>
        <translation>aucun : seulement les autorités du système</translation>
    </message>
    <message>
        <source>CA certificate file</source>
        <translation>Fichier de certificat CA</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Parcourir…</translation>
    </message>
    <message>
        <source>Certificate Authorities</source>
        <translation>Autorités de certification</translation>
    </message>
    <message>
        <source>PEM certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>Certificats PEM (*.pem *.crt *.cer);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>%1.headers: %2</source>
        <translation>%1.headers : %2</translation>
    </message>
    <message>
        <source>%1.ca_file: %2</source>
        <translation>%1.ca_file : %2</translation>
    </message>
    <message>
        <source>enter the file&apos;s full path</source>
        <translation>saisissez le chemin complet du fichier</translation>
    </message>
    <message>
        <source>Not trusted: %1.</source>
        <translation>Non approuvé : %1.</translation>
    </message>
    <message numerus="yes">
        <source>Trusted: %n certificate(s), the first “%1”, valid until %2.</source>
        <translation>
            <numerusform>Approuvé : %n certificat, le premier “%1”, valide jusqu&apos;au %2.</numerusform>
            <numerusform>Approuvés : %n certificats, le premier “%1”, valide jusqu&apos;au %2.</numerusform>
        </translation>
    </message>
    <message>
        <source>Loaded.</source>
        <translation>Chargé.</translation>
    </message>
    <message>
        <source>A provider needs an id.</source>
        <translation>Un fournisseur doit avoir un id.</translation>
    </message>
    <message>
        <source>Another provider already has the id “%1”.</source>
        <translation>Un autre fournisseur a déjà l&apos;id “%1”.</translation>
    </message>
    <message>
        <source>Enter an http:// or https:// address, such as https://api.example.com/v1.</source>
        <translation>Saisissez une adresse http:// ou https://, comme https://api.example.com/v1.</translation>
    </message>
</context>
<context>
    <name>Slopscope::ProviderStatusBoard</name>
    <message>
        <source>rate-limited</source>
        <translation>limité en débit</translation>
    </message>
    <message>
        <source>%1: %2, resuming now</source>
        <translation>%1 : %2, reprise maintenant</translation>
    </message>
    <message>
        <source>%1: %2, resuming in %3</source>
        <translation>%1 : %2, reprise dans %3</translation>
    </message>
    <message>
        <source>%1: stopped — %2</source>
        <translation>%1 : arrêté — %2</translation>
    </message>
    <message>
        <source>%1: offline — waiting for the network</source>
        <translation>%1 : hors ligne — en attente du réseau</translation>
    </message>
</context>
<context>
    <name>Slopscope::ProviderStatusStrip</name>
    <message>
        <source>Provider status</source>
        <translation>État des fournisseurs</translation>
    </message>
</context>
<context>
    <name>Slopscope::ProvidersSettingsPage</name>
    <message>
        <source>Providers</source>
        <translation>Fournisseurs</translation>
    </message>
    <message>
        <source>Targets</source>
        <translation>Cibles</translation>
    </message>
    <message>
        <source>Select a provider or a target.</source>
        <translation>Sélectionnez un fournisseur ou une cible.</translation>
    </message>
    <message>
        <source>Providers and targets</source>
        <translation>Fournisseurs et cibles</translation>
    </message>
    <message>
        <source>&amp;Add Provider</source>
        <translation>&amp;Ajouter un fournisseur</translation>
    </message>
    <message>
        <source>Other OpenAI-compatible server (blank)</source>
        <translation>Autre serveur compatible OpenAI (vide)</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>&amp;Supprimer</translation>
    </message>
    <message>
        <source>Remove the selected provider</source>
        <translation>Supprimer le fournisseur sélectionné</translation>
    </message>
    <message>
        <source>Remove Provider</source>
        <translation>Supprimer le fournisseur</translation>
    </message>
    <message>
        <source>%1

Remove these targets together with provider &quot;%2&quot;?</source>
        <translation>%1

Supprimer ces cibles avec le fournisseur &quot;%2&quot; ?</translation>
    </message>
    <message>
        <source>Remove All</source>
        <translation>Tout supprimer</translation>
    </message>
    <message numerus="yes">
        <source>Provider &quot;%1&quot; is used by %n target(s): %2.</source>
        <translation>
            <numerusform>Le fournisseur &quot;%1&quot; est utilisé par %n cible : %2.</numerusform>
            <numerusform>Le fournisseur &quot;%1&quot; est utilisé par %n cibles : %2.</numerusform>
        </translation>
    </message>
    <message>
        <source>Not removed. %1</source>
        <translation>Non supprimé. %1</translation>
    </message>
    <message numerus="yes">
        <source>Removed provider &quot;%1&quot; and %n target(s) with it.</source>
        <translation>
            <numerusform>Fournisseur &quot;%1&quot; supprimé, ainsi que %n cible.</numerusform>
            <numerusform>Fournisseur &quot;%1&quot; supprimé, ainsi que %n cibles.</numerusform>
        </translation>
    </message>
    <message>
        <source>Removed provider &quot;%1&quot;.</source>
        <translation>Fournisseur &quot;%1&quot; supprimé.</translation>
    </message>
    <message>
        <source>%1.id: duplicate provider id &quot;%2&quot;</source>
        <translation>%1.id : id de fournisseur en double &quot;%2&quot;</translation>
    </message>
    <message>
        <source>e.g. .corp.example, 10.0.0.0/8, gpu-box:11434</source>
        <translation>p. ex. .corp.example, 10.0.0.0/8, gpu-box:11434</translation>
    </message>
    <message>
        <source>Hosts that never go through the proxy, besides those in no_proxy: names, .suffixes, IP addresses, CIDR blocks, host:port, or * for all. Comma-separated. This computer always goes direct.</source>
        <translation>Hôtes qui ne passent jamais par le proxy, en plus de ceux de no_proxy : noms, .suffixes, adresses IP, blocs CIDR, hôte:port, ou * pour tous. Séparés par des virgules. Cet ordinateur est toujours joint directement.</translation>
    </message>
    <message>
        <source>Hosts that bypass the proxy</source>
        <translation>Hôtes qui contournent le proxy</translation>
    </message>
    <message>
        <source>&amp;Bypass the proxy for:</source>
        <translation>&amp;Contourner le proxy pour :</translation>
    </message>
</context>
<context>
    <name>Slopscope::ProxyCredentialsDialog</name>
    <message>
        <source>Proxy Authentication</source>
        <translation>Authentification du proxy</translation>
    </message>
    <message>
        <source>The proxy refused these credentials for the requests to %1. Enter them again.</source>
        <translation>Le proxy a refusé ces identifiants pour les requêtes vers %1. Saisissez-les à nouveau.</translation>
    </message>
    <message>
        <source>The proxy asks for a user name and password before it forwards the requests to %1.</source>
        <translation>Le proxy demande un nom d&apos;utilisateur et un mot de passe avant de transmettre les requêtes vers %1.</translation>
    </message>
    <message>
        <source>Proxy user name</source>
        <translation>Nom d&apos;utilisateur du proxy</translation>
    </message>
    <message>
        <source>Proxy password</source>
        <translation>Mot de passe du proxy</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>&amp;Nom d&apos;utilisateur :</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>Mot de &amp;passe :</translation>
    </message>
    <message>
        <source>Kept in memory until Slopscope quits; never saved. Run again (or retry the failed cells) to send the requests with them.</source>
        <translation>Conservés en mémoire jusqu&apos;à la fermeture de Slopscope ; jamais enregistrés. Relancez (ou réessayez les cellules en échec) pour envoyer les requêtes avec ces identifiants.</translation>
    </message>
    <message>
        <source>&amp;Use</source>
        <translation>&amp;Utiliser</translation>
    </message>
</context>
<context>
    <name>Slopscope::ProxyRules</name>
    <message>
        <source>%1: &quot;%2&quot; is not a proxy URL (expected http://host:port)</source>
        <translation>%1 : « %2 » n&apos;est pas une URL de proxy (attendu : http://host:port)</translation>
    </message>
    <message>
        <source>%1: %2: a proxy reached over TLS (https://) is not supported; use http://, the connection to the provider is still encrypted end to end</source>
        <translation>%1 : %2 : un proxy joint via TLS (https://) n&apos;est pas pris en charge ; utilisez http://, la connexion au fournisseur reste chiffrée de bout en bout</translation>
    </message>
    <message>
        <source>%1: %2: unsupported proxy scheme &quot;%3&quot; (expected http:// or socks5://)</source>
        <translation>%1 : %2 : schéma de proxy « %3 » non pris en charge (attendu : http:// ou socks5://)</translation>
    </message>
    <message>
        <source>%1: %2: a proxy URL has no path</source>
        <translation>%1 : %2 : une URL de proxy n&apos;a pas de chemin</translation>
    </message>
    <message>
        <source>%1: proxy credentials are secrets and are not read from workspace files; set them in https_proxy (http://user:password@host:port)</source>
        <translation>%1 : les identifiants du proxy sont des secrets et ne sont pas lus depuis les fichiers de l&apos;espace de travail ; définissez-les dans https_proxy (http://user:password@host:port)</translation>
    </message>
    <message>
        <source>direct</source>
        <translation>direct</translation>
    </message>
    <message>
        <source>via %1://%2:%3</source>
        <translation>via %1://%2:%3</translation>
    </message>
</context>
<context>
    <name>Slopscope::QuadrantChart</name>
    <message>
        <source>Price · speed · quality</source>
        <translation>Prix · vitesse · qualité</translation>
    </message>
    <message>
        <source>Cost per 1,000 cases (USD, log scale)</source>
        <translation>Coût pour 1&#xa0;000 cas (USD, échelle log)</translation>
    </message>
    <message>
        <source>Blended price per million tokens (USD, log scale)</source>
        <translation>Prix combiné par million de jetons (USD, échelle log)</translation>
    </message>
    <message>
        <source>Median time to first token (ms)</source>
        <translation>Délai médian avant le premier jeton (ms)</translation>
    </message>
    <message>
        <source>Decode speed (tokens/s)</source>
        <translation>Vitesse de décodage (jetons/s)</translation>
    </message>
    <message>
        <source>95th percentile latency (ms)</source>
        <translation>Latence au 95e centile (ms)</translation>
    </message>
    <message>
        <source>cheap &amp; good</source>
        <translation>bon marché et bon</translation>
    </message>
    <message>
        <source>expensive &amp; good</source>
        <translation>cher et bon</translation>
    </message>
    <message>
        <source>fast &amp; good</source>
        <translation>rapide et bon</translation>
    </message>
    <message>
        <source>slow &amp; good</source>
        <translation>lent et bon</translation>
    </message>
    <message>
        <source>cheap &amp; weak</source>
        <translation>bon marché et faible</translation>
    </message>
    <message>
        <source>expensive &amp; weak</source>
        <translation>cher et faible</translation>
    </message>
    <message>
        <source>fast &amp; weak</source>
        <translation>rapide et faible</translation>
    </message>
    <message>
        <source>slow &amp; weak</source>
        <translation>lent et faible</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>inconnu</translation>
    </message>
    <message>
        <source> (95% interval %1–%2%)</source>
        <translation> (intervalle à 95&#xa0;%&#xa0;: %1–%2&#xa0;%)</translation>
    </message>
    <message>
        <source>%1
quality %2, n = %3
cost per 1,000 cases $%4
blended $%5 / Mtok
TTFT p50 %6 ms · p95 latency %7 ms
decode %8 tokens/s</source>
        <translation>%1
qualité %2, n = %3
coût pour 1&#xa0;000 cas $%4
prix combiné $%5 / Mtok
TTFT p50 %6&#xa0;ms · latence p95 %7&#xa0;ms
décodage %8 jetons/s</translation>
    </message>
    <message>
        <source>Quality (%)</source>
        <translation>Qualité (%)</translation>
    </message>
    <message>
        <source>Pareto frontier</source>
        <translation>Frontière de Pareto</translation>
    </message>
    <message>
        <source>Slopscope quadrant</source>
        <translation>Quadrant Slopscope</translation>
    </message>
    <message>
        <source>Unknown chart format &quot;%1&quot;: use .png, .svg or .pdf</source>
        <translation>Format de graphique &quot;%1&quot; inconnu&#xa0;: utilisez .png, .svg ou .pdf</translation>
    </message>
    <message>
        <source>Cannot write %1</source>
        <translation>Impossible d&apos;écrire %1</translation>
    </message>
    <message>
        <source>Policy %1
%2
quality %3% (95% interval %4–%5%), n = %6
cost per 1,000 cases $%7
p95 latency %8 ms
escalated %9%</source>
        <translation>Politique %1
%2
qualité %3% (IC 95&#xa0;% %4–%5%), n = %6
coût pour 1&#xa0;000 cas $%7
latence p95 %8 ms
escaladé %9%</translation>
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
        <translation>Coût pour 1&#xa0;000 cas</translation>
    </message>
    <message>
        <source>Blended $/Mtok</source>
        <translation>Prix combiné $/Mtok</translation>
    </message>
    <message>
        <source>Median TTFT</source>
        <translation>TTFT médian</translation>
    </message>
    <message>
        <source>Decode tokens/s</source>
        <translation>Décodage jetons/s</translation>
    </message>
    <message>
        <source>p95 latency</source>
        <translation>Latence p95</translation>
    </message>
    <message>
        <source>Quadrant x axis</source>
        <translation>Axe x du quadrant</translation>
    </message>
    <message>
        <source>The figure along the horizontal axis: a price or a speed.</source>
        <translation>La mesure portée sur l&apos;axe horizontal&#xa0;: un prix ou une vitesse.</translation>
    </message>
    <message>
        <source>Canonical only</source>
        <translation>Canonique uniquement</translation>
    </message>
    <message>
        <source>Variants only</source>
        <translation>Variantes uniquement</translation>
    </message>
    <message>
        <source>Canonical and variants</source>
        <translation>Canonique et variantes</translation>
    </message>
    <message>
        <source>Quadrant quality</source>
        <translation>Qualité du quadrant</translation>
    </message>
    <message>
        <source>Fixed d&amp;ividers</source>
        <translation>Séparateurs &amp;fixes</translation>
    </message>
    <message>
        <source>Split the quadrant at your own thresholds instead of the lineup&apos;s medians.</source>
        <translation>Diviser le quadrant selon vos propres seuils plutôt que selon les médianes des cibles comparées.</translation>
    </message>
    <message>
        <source>Vertical divider position</source>
        <translation>Position du séparateur vertical</translation>
    </message>
    <message>
        <source>Where the vertical divider sits, in the x axis&apos;s unit.</source>
        <translation>Position du séparateur vertical, dans l&apos;unité de l&apos;axe x.</translation>
    </message>
    <message>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <source>Horizontal divider position</source>
        <translation>Position du séparateur horizontal</translation>
    </message>
    <message>
        <source>The quality at which the horizontal divider sits.</source>
        <translation>La qualité à laquelle se situe le séparateur horizontal.</translation>
    </message>
    <message>
        <source>&amp;X axis:</source>
        <translation>Axe &amp;X&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Quality:</source>
        <translation>&amp;Qualité&#xa0;:</translation>
    </message>
    <message>
        <source>x &amp;at</source>
        <translation>&amp;seuil x</translation>
    </message>
    <message>
        <source>q&amp;uality at</source>
        <translation>seuil q&amp;ualité</translation>
    </message>
    <message>
        <source>Quality, variants only (%)</source>
        <translation>Qualité, variantes uniquement (%)</translation>
    </message>
    <message>
        <source>Quality, canonical and variants (%)</source>
        <translation>Qualité, canonique et variantes (%)</translation>
    </message>
    <message>
        <source>Quality, canonical only (%)</source>
        <translation>Qualité, canonique uniquement (%)</translation>
    </message>
    <message>
        <source>Within time budget</source>
        <translation>Dans le budget de temps</translation>
    </message>
    <message>
        <source>Which answers the quality counts: the suite&apos;s own wording, only the rewordings (run with Variants checked), or both; or the suite&apos;s own wording with an answer later than its case&apos;s time budget (the suite&apos;s time_budget_ms) counted as a failure.</source>
        <translation>Quelles réponses la qualité prend en compte : la formulation d’origine de la suite, seulement les reformulations (exécution avec Variantes coché), ou les deux ; ou la formulation d’origine de la suite, une réponse arrivée après le budget de temps de son cas (time_budget_ms de la suite) comptant comme un échec.</translation>
    </message>
    <message>
        <source>Quality within budget (%)</source>
        <translation>Qualité dans le délai (%)</translation>
    </message>
</context>
<context>
    <name>Slopscope::QuickCompareSession</name>
    <message>
        <source>the answer was cut off before its end</source>
        <translation>la réponse a été coupée avant la fin</translation>
    </message>
    <message>
        <source>the provider stopped before the answer was complete</source>
        <translation>le fournisseur s&apos;est arrêté avant la fin de la réponse</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>arrêté</translation>
    </message>
    <message>
        <source>the request failed</source>
        <translation>la requête a échoué</translation>
    </message>
    <message>
        <source>The last prompt is still being answered: wait for it or stop it first.</source>
        <translation>Le dernier prompt est encore en cours de réponse : attendez la fin ou arrêtez-le d&apos;abord.</translation>
    </message>
    <message>
        <source>Type a prompt first.</source>
        <translation>Saisissez d&apos;abord un prompt.</translation>
    </message>
    <message>
        <source>Check at least one target.</source>
        <translation>Cochez au moins une cible.</translation>
    </message>
    <message>
        <source>Quick compare</source>
        <translation>Comparaison rapide</translation>
    </message>
    <message>
        <source>The workspace has no target &quot;%1&quot;.</source>
        <translation>L&apos;espace de travail n&apos;a pas de cible « %1 ».</translation>
    </message>
    <message>
        <source>There is no exchange %1 in this chat.</source>
        <translation>Il n&apos;y a pas d&apos;échange %1 dans cette conversation.</translation>
    </message>
    <message>
        <source>The target &quot;%1&quot; did not take part in exchange %2.</source>
        <translation>La cible « %1 » n&apos;a pas participé à l&apos;échange %2.</translation>
    </message>
    <message>
        <source>This chat has spent $%1, its spend cap of $%2: raise the cap or start a new chat.</source>
        <translation>Ce chat a dépensé $%1, soit son plafond de dépenses de $%2 : relevez le plafond ou démarrez un nouveau chat.</translation>
    </message>
    <message>
        <source>stopped: %1</source>
        <translation>arrêté : %1</translation>
    </message>
</context>
<context>
    <name>Slopscope::QuickCompareView</name>
    <message>
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
    <message>
        <source>New chat: type a prompt below and press Ctrl+Enter.</source>
        <translation>Nouvelle conversation : saisissez un prompt ci-dessous et appuyez sur Ctrl+Enter.</translation>
    </message>
    <message>
        <source>Type a prompt below and press Ctrl+Enter to send it to every checked target.</source>
        <translation>Saisissez un prompt ci-dessous et appuyez sur Ctrl+Enter pour l&apos;envoyer à chaque cible cochée.</translation>
    </message>
    <message>
        <source>Exchange:</source>
        <translation>Échange :</translation>
    </message>
    <message>
        <source>Exchange to save</source>
        <translation>Échange à enregistrer</translation>
    </message>
    <message>
        <source>as seen by</source>
        <translation>vu par</translation>
    </message>
    <message>
        <source>Target whose conversation is saved</source>
        <translation>Cible dont la conversation est enregistrée</translation>
    </message>
    <message>
        <source>its answer as reference</source>
        <translation>sa réponse comme référence</translation>
    </message>
    <message>
        <source>Save as Suite Case</source>
        <translation>Enregistrer comme cas de suite</translation>
    </message>
    <message>
        <source>Adds this exchange, with the conversation before it, to the selected suite</source>
        <translation>Ajoute cet échange, avec la conversation qui le précède, à la suite sélectionnée</translation>
    </message>
    <message>
        <source>vs</source>
        <translation>vs</translation>
    </message>
    <message>
        <source>Target whose answer is diffed</source>
        <translation>Cible dont la réponse est comparée</translation>
    </message>
    <message>
        <source>Diff</source>
        <translation>Diff</translation>
    </message>
    <message>
        <source>Shows the two answers to this exchange side by side, the differing words marked</source>
        <translation>Affiche côte à côte les deux réponses à cet échange, en marquant les mots qui diffèrent</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>Prompt système</translation>
    </message>
    <message>
        <source>Optional: instructions every target gets first (sent with every turn)</source>
        <translation>Facultatif : instructions que chaque cible reçoit en premier (envoyées à chaque tour)</translation>
    </message>
    <message>
        <source>Ask every checked target… (Ctrl+Enter sends)</source>
        <translation>Interroger chaque cible cochée… (Ctrl+Enter pour envoyer)</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <source>Attach Text File…</source>
        <translation>Joindre un fichier texte…</translation>
    </message>
    <message>
        <source>Plain-text files up to %1, folded into the prompt with their names</source>
        <translation>Fichiers texte brut jusqu&apos;à %1, intégrés au prompt avec leur nom</translation>
    </message>
    <message>
        <source>New Chat</source>
        <translation>Nouvelle conversation</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Arrêter</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Envoyer</translation>
    </message>
    <message>
        <source>Send to every checked target (Ctrl+Enter)</source>
        <translation>Envoyer à chaque cible cochée (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Attach Text File</source>
        <translation>Joindre un fichier texte</translation>
    </message>
    <message>
        <source>Text files (*.txt *.md *.csv *.json *.log *.xml *.yaml *.yml);;All files (*)</source>
        <translation>Fichiers texte (*.txt *.md *.csv *.json *.log *.xml *.yaml *.yml);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>%1  ✕</source>
        <translation>%1  ✕</translation>
    </message>
    <message>
        <source>Remove %1 from the prompt</source>
        <translation>Retirer %1 du prompt</translation>
    </message>
    <message>
        <source>▶ You: %1</source>
        <translation>▶ Vous : %1</translation>
    </message>
    <message>
        <source>(attached: %1)</source>
        <translation>(pièce jointe : %1)</translation>
    </message>
    <message>
        <source>[Not part of the conversation (%1): the next turns were sent to this target without this exchange.]</source>
        <translation>[Hors de la conversation (%1) : les tours suivants ont été envoyés à cette cible sans cet échange.]</translation>
    </message>
    <message>
        <source>Turn %1: %2</source>
        <translation>Tour %1 : %2</translation>
    </message>
    <message numerus="yes">
        <source>Sending turn %1 to %n target(s)…</source>
        <translation>
            <numerusform>Envoi du tour %1 à %n cible…</numerusform>
            <numerusform>Envoi du tour %1 à %n cibles…</numerusform>
        </translation>
    </message>
    <message>
        <source>attempt %1</source>
        <translation>tentative %1</translation>
    </message>
    <message>
        <source>[%1 This answer stays out of the conversation: the next turn is sent to this target without this exchange.]</source>
        <translation>[%1 Cette réponse reste hors de la conversation : le tour suivant est envoyé à cette cible sans cet échange.]</translation>
    </message>
    <message>
        <source>spent $%1 in this chat</source>
        <translation>%1 $ dépensés dans cette conversation</translation>
    </message>
    <message>
        <source>Turn %1 answered. %2</source>
        <translation>Tour %1 : réponses reçues. %2</translation>
    </message>
    <message numerus="yes">
        <source>Turn %1: %n answer(s) incomplete. %2</source>
        <translation>
            <numerusform>Tour %1 : %n réponse incomplète. %2</numerusform>
            <numerusform>Tour %1 : %n réponses incomplètes. %2</numerusform>
        </translation>
    </message>
    <message>
        <source>%1. %2</source>
        <translation>%1. %2</translation>
    </message>
    <message>
        <source>New chat.</source>
        <translation>Nouvelle conversation.</translation>
    </message>
    <message>
        <source>Stopped: %1; %2</source>
        <translation>Arrêté : %1 ; %2</translation>
    </message>
</context>
<context>
    <name>Slopscope::RatedCellDelegate</name>
    <message>
        <source>Rated: %1</source>
        <translation>Note&#xa0;: %1</translation>
    </message>
    <message>
        <source>Rated: %1 — %2</source>
        <translation>Note&#xa0;: %1 — %2</translation>
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
        <translation>Votre note</translation>
    </message>
    <message>
        <source>Your rating:</source>
        <translation>Votre note&#xa0;:</translation>
    </message>
    <message>
        <source>Pass</source>
        <translation>Réussi</translation>
    </message>
    <message>
        <source>The answer passes (key P)</source>
        <translation>La réponse réussit (touche P)</translation>
    </message>
    <message>
        <source>Fail</source>
        <translation>Échec</translation>
    </message>
    <message>
        <source>The answer fails (key F)</source>
        <translation>La réponse échoue (touche F)</translation>
    </message>
    <message>
        <source>%1★</source>
        <translation>%1★</translation>
    </message>
    <message numerus="yes">
        <source>%n star(s) of 5 (key %n)</source>
        <translation>
            <numerusform>%n étoile sur 5 (touche %n)</numerusform>
            <numerusform>%n étoiles sur 5 (touche %n)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n star(s)</source>
        <translation>
            <numerusform>%n étoile</numerusform>
            <numerusform>%n étoiles</numerusform>
        </translation>
    </message>
    <message>
        <source>Rating note</source>
        <translation>Commentaire de la note</translation>
    </message>
    <message>
        <source>Note (optional, Enter saves)</source>
        <translation>Commentaire (facultatif, Entrée pour enregistrer)</translation>
    </message>
    <message>
        <source>An optional note; Enter saves it with the chosen rating</source>
        <translation>Un commentaire facultatif&#xa0;; Entrée l&apos;enregistre avec la note choisie</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Take back the last rating of this answer</source>
        <translation>Retirer la dernière note de cette réponse</translation>
    </message>
    <message>
        <source>How often your pass/fail matches the judge&apos;s on the answers both graded (4 stars and up count as a pass); Cohen&apos;s kappa corrects for chance</source>
        <translation>Fréquence à laquelle votre verdict réussi/échec concorde avec celui du juge sur les réponses notées par les deux (4 étoiles et plus comptent comme réussi)&#xa0;; le kappa de Cohen corrige l&apos;effet du hasard</translation>
    </message>
    <message>
        <source>Choose Pass, Fail or stars first: the note is saved with them.</source>
        <translation>Choisissez d&apos;abord Réussi, Échec ou des étoiles&#xa0;: le commentaire est enregistré avec.</translation>
    </message>
</context>
<context>
    <name>Slopscope::RatingBook</name>
    <message>
        <source>pass</source>
        <translation>réussi</translation>
    </message>
    <message>
        <source>fail</source>
        <translation>échec</translation>
    </message>
    <message>
        <source>[★%1]</source>
        <comment>a matrix cell&apos;s human rating in stars</comment>
        <translation>[★%1]</translation>
    </message>
    <message>
        <source>[pass]</source>
        <comment>a matrix cell&apos;s human rating</comment>
        <translation>[réussi]</translation>
    </message>
    <message>
        <source>[fail]</source>
        <comment>a matrix cell&apos;s human rating</comment>
        <translation>[échec]</translation>
    </message>
    <message>
        <source>Ratings could not be read, cells show as unrated: %1</source>
        <translation>Impossible de lire les notes, les cellules apparaissent non notées : %1</translation>
    </message>
</context>
<context>
    <name>Slopscope::ResultMatrixModel</name>
    <message>
        <source>completed</source>
        <translation>terminé</translation>
    </message>
    <message>
        <source>stopped early</source>
        <translation>arrêté prématurément</translation>
    </message>
    <message>
        <source>truncated</source>
        <translation>tronqué</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>échoué</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>annulé</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>en attente</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>(empty answer)</source>
        <translation>(réponse vide)</translation>
    </message>
    <message>
        <source>%1 %2/%3 · %4 · %5</source>
        <translation>%1 %2/%3 · %4 · %5</translation>
    </message>
    <message>
        <source>%1 · case %2</source>
        <translation>%1 · cas %2</translation>
    </message>
    <message>
        <source> · variant %1</source>
        <translation> · variante %1</translation>
    </message>
    <message>
        <source>Score %1 · %2/%3 passed</source>
        <translation>Score %1 · %2/%3 réussis</translation>
    </message>
    <message>
        <source>Repeat %1: score %2</source>
        <translation>Répétition %1&#xa0;: score %2</translation>
    </message>
    <message>
        <source>  %1: %2</source>
        <translation>  %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>  %1 %2 — %3</source>
        <translation>  %1 %2 — %3</translation>
    </message>
    <message numerus="yes">
        <source>…and %n more repeat(s)</source>
        <translation>
            <numerusform>…et %n autre répétition</numerusform>
            <numerusform>…et %n autres répétitions</numerusform>
        </translation>
    </message>
    <message>
        <source>Tags: %1</source>
        <translation>Étiquettes&#xa0;: %1</translation>
    </message>
    <message>
        <source>No answer yet</source>
        <translation>Pas encore de réponse</translation>
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
        <translation>Échecs &amp;seulement</translation>
    </message>
    <message>
        <source>Show only the cases where some answer did not pass</source>
        <translation>N&apos;afficher que les cas où une réponse n&apos;a pas réussi</translation>
    </message>
    <message>
        <source>&amp;Tag</source>
        <translation>É&amp;tiquette</translation>
    </message>
    <message>
        <source>Tag filter</source>
        <translation>Filtre d&apos;étiquette</translation>
    </message>
    <message>
        <source>&amp;Wording</source>
        <translation>F&amp;ormulation</translation>
    </message>
    <message>
        <source>Wording filter</source>
        <translation>Filtre de formulation</translation>
    </message>
    <message>
        <source>Canonical and variants</source>
        <translation>Canonique et variantes</translation>
    </message>
    <message>
        <source>Canonical only</source>
        <translation>Canonique uniquement</translation>
    </message>
    <message>
        <source>Variants only</source>
        <translation>Variantes uniquement</translation>
    </message>
    <message>
        <source>Results matrix</source>
        <translation>Matrice des résultats</translation>
    </message>
    <message>
        <source>All tags</source>
        <translation>Toutes les étiquettes</translation>
    </message>
    <message>
        <source>✓ all passed   ◐ some   ✗ none   … awaiting judge   [pass] [★4] your rating</source>
        <translation>✓ toutes réussies   ◐ certaines   ✗ aucune   … en attente du juge   [réussi] [★4] votre note</translation>
    </message>
    <message>
        <source>No history is recorded: ratings are kept for this session only.</source>
        <translation>Aucun historique n&apos;est enregistré&#xa0;: les notes ne sont conservées que pour cette session.</translation>
    </message>
    <message numerus="yes">
        <source>Agreement with the judge: %1% (Cohen&apos;s κ %2) over %n rated answer(s)</source>
        <translation>
            <numerusform>Accord avec le juge&#xa0;: %1&#xa0;% (κ de Cohen %2) sur %n réponse notée</numerusform>
            <numerusform>Accord avec le juge&#xa0;: %1&#xa0;% (κ de Cohen %2) sur %n réponses notées</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Slopscope::RoutingComparisonModel</name>
    <message>
        <source>single target</source>
        <translation>cible seule</translation>
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
        <translation>%1 enregistrés / %2 oracle</translation>
    </message>
    <message>
        <source>none</source>
        <translation>aucun</translation>
    </message>
    <message>
        <source>%1 answers, %2 verdicts</source>
        <translation>%1 réponses, %2 verdicts</translation>
    </message>
    <message>
        <source>Select the row to list what is missing below the table.</source>
        <translation>Sélectionnez la ligne pour lister sous le tableau ce qui manque.</translation>
    </message>
    <message>
        <source>On %1 case(s); %2 replay(s) left out for missing data, %3 without a score.</source>
        <translation>Sur %1 cas&#xa0;; %2 rejeu(x) écarté(s) faute de données, %3 sans score.</translation>
    </message>
    <message>
        <source>%1 replay(s) of unknown cost: no total is shown rather than a partial one.</source>
        <translation>%1 rejeu(x) de coût inconnu&#xa0;: aucun total n&apos;est affiché plutôt qu&apos;un total partiel.</translation>
    </message>
    <message>
        <source>Policy / target</source>
        <translation>Politique / cible</translation>
    </message>
    <message>
        <source>Route</source>
        <translation>Itinéraire</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>Qualité</translation>
    </message>
    <message>
        <source>95% interval</source>
        <translation>Intervalle à 95 %</translation>
    </message>
    <message>
        <source>$ / 1,000 cases</source>
        <translation>$ / 1&#xa0;000 cas</translation>
    </message>
    <message>
        <source>p50 latency</source>
        <translation>latence p50</translation>
    </message>
    <message>
        <source>p95 latency</source>
        <translation>Latence p95</translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation>Escaladés</translation>
    </message>
    <message>
        <source>Verdicts</source>
        <translation>Verdicts</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>Manquants</translation>
    </message>
</context>
<context>
    <name>Slopscope::RoutingDialog</name>
    <message>
        <source>answer   case %1, repeat %2: %3</source>
        <translation>réponse  cas %1, répétition %2&#xa0;: %3</translation>
    </message>
    <message>
        <source>verdict  case %1, repeat %2: %3 on %4&apos;s answer</source>
        <translation>verdict  cas %1, répétition %2&#xa0;: %3 sur la réponse de %4</translation>
    </message>
    <message>
        <source>Routing Policies</source>
        <translation>Politiques de routage</translation>
    </message>
    <message>
        <source>No finished run to replay yet: run a suite, or open one from File ▸ History.</source>
        <translation>Aucune exécution terminée à rejouer&#xa0;: exécutez une suite de tests ou ouvrez-en une via Fichier ▸ Historique.</translation>
    </message>
    <message>
        <source>Policies</source>
        <translation>Politiques</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>&amp;Ajouter</translation>
    </message>
    <message>
        <source>Cascade</source>
        <translation>Cascade</translation>
    </message>
    <message>
        <source>By Tag</source>
        <translation>Par étiquette</translation>
    </message>
    <message>
        <source>Best of N</source>
        <translation>Meilleure de N</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>&amp;Supprimer</translation>
    </message>
    <message>
        <source>&amp;Load…</source>
        <translation>&amp;Charger…</translation>
    </message>
    <message>
        <source>&amp;Save…</source>
        <translation>&amp;Enregistrer…</translation>
    </message>
    <message>
        <source>Replace the list with the policies of a policy file (docs/ROUTING.md).</source>
        <translation>Remplacer la liste par les politiques d&apos;un fichier de politiques (docs/ROUTING.md).</translation>
    </message>
    <message>
        <source>Selected policy</source>
        <translation>Politique sélectionnée</translation>
    </message>
    <message>
        <source>A&amp;pply</source>
        <translation>A&amp;ppliquer</translation>
    </message>
    <message>
        <source>Comparison: every row replayed over the same recorded cells</source>
        <translation>Comparaison&#xa0;: chaque ligne est rejouée sur les mêmes cellules enregistrées</translation>
    </message>
    <message>
        <source>Search the lineup</source>
        <translation>Chercher dans la sélection</translation>
    </message>
    <message>
        <source>&amp;Find</source>
        <translation>&amp;Chercher</translation>
    </message>
    <message>
        <source>F&amp;ind</source>
        <translation>C&amp;hercher</translation>
    </message>
    <message>
        <source>Cheapest policy with quality at least</source>
        <translation>Politique la moins chère de qualité au moins</translation>
    </message>
    <message>
        <source>Best quality at a cost per 1,000 cases of at most</source>
        <translation>Meilleure qualité pour un coût pour 1&#xa0;000 cas d&apos;au plus</translation>
    </message>
    <message>
        <source>Missing for the selected row</source>
        <translation>Manquants pour la ligne sélectionnée</translation>
    </message>
    <message>
        <source>Replaying %1: %2 on %3 target(s), %4 recorded cell(s). Nothing is sent.</source>
        <translation>Rejeu de %1&#xa0;: %2 sur %3 cible(s), %4 cellule(s) enregistrée(s). Rien n&apos;est envoyé.</translation>
    </message>
    <message>
        <source>Select a row of the table.</source>
        <translation>Sélectionnez une ligne du tableau.</translation>
    </message>
    <message>
        <source>%1: nothing missing; every replay is complete.</source>
        <translation>%1&#xa0;: rien ne manque&#xa0;; chaque rejeu est complet.</translation>
    </message>
    <message>
        <source>policy</source>
        <translation>politique</translation>
    </message>
    <message>
        <source>cascade</source>
        <translation>cascade</translation>
    </message>
    <message>
        <source>by tag</source>
        <translation>par étiquette</translation>
    </message>
    <message>
        <source>best of N</source>
        <translation>meilleure de N</translation>
    </message>
    <message>
        <source>Added &quot;%1&quot;: edit it and press Apply.</source>
        <translation>«&#xa0;%1&#xa0;» ajoutée&#xa0;: modifiez-la puis cliquez sur Appliquer.</translation>
    </message>
    <message>
        <source>Another policy is already called &quot;%1&quot;.</source>
        <translation>Une autre politique s&apos;appelle déjà «&#xa0;%1&#xa0;».</translation>
    </message>
    <message>
        <source>&quot;%1&quot; replayed.</source>
        <translation>«&#xa0;%1&#xa0;» rejouée.</translation>
    </message>
    <message>
        <source>Cannot load the policies: %1</source>
        <translation>Impossible de charger les politiques&#xa0;: %1</translation>
    </message>
    <message>
        <source>Cannot save the policies: %1</source>
        <translation>Impossible d&apos;enregistrer les politiques&#xa0;: %1</translation>
    </message>
    <message>
        <source>Load Routing Policies</source>
        <translation>Charger des politiques de routage</translation>
    </message>
    <message>
        <source>Routing policies (*.json);;All files (*)</source>
        <translation>Politiques de routage (*.json);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Save Routing Policies</source>
        <translation>Enregistrer les politiques de routage</translation>
    </message>
    <message>
        <source>Routing policies (*.json)</source>
        <translation>Politiques de routage (*.json)</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Recherche…</translation>
    </message>
    <message>
        <source>The run changed during the search: ask again.</source>
        <translation>L&apos;exécution a changé pendant la recherche&#xa0;: relancez la question.</translation>
    </message>
    <message>
        <source>None of the %1 policies considered meets it (with a known cost and quality).</source>
        <translation>Aucune des %1 politiques examinées n&apos;y répond (avec un coût et une qualité connus).</translation>
    </message>
    <message>
        <source>Answer, out of %1 policies: &quot;%2&quot; (selected in the list and the table).</source>
        <translation>Réponse parmi %1 politiques&#xa0;: «&#xa0;%2&#xa0;» (sélectionnée dans la liste et le tableau).</translation>
    </message>
    <message numerus="yes">
        <source>Loaded %n policy(ies) from %1.</source>
        <translation>
            <numerusform>%n politique chargée depuis %1.</numerusform>
            <numerusform>%n politiques chargées depuis %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saved %n policy(ies) to %1.</source>
        <translation>
            <numerusform>%n politique enregistrée dans %1.</numerusform>
            <numerusform>%n politiques enregistrées dans %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Fetch What Is Missing…</source>
        <translation>&amp;Récupérer ce qui manque…</translation>
    </message>
    <message>
        <source>Send only the answers and validator verdicts the policies&apos; replays lack, and record them into this run</source>
        <translation>N’envoyer que les réponses et les verdicts de validateur qui manquent aux rejeux des politiques, et les enregistrer dans cette exécution</translation>
    </message>
    <message>
        <source>No replay lacks anything that can be fetched.</source>
        <translation>Aucun rejeu ne manque de quoi que ce soit de récupérable.</translation>
    </message>
    <message>
        <source>They are recorded into this run, which keeps everything it already has.</source>
        <translation>Ils sont enregistrés dans cette exécution, qui garde tout ce qu’elle a déjà.</translation>
    </message>
    <message>
        <source>Fetch What Is Missing</source>
        <translation>Récupérer ce qui manque</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Envoyer</translation>
    </message>
    <message>
        <source>pick     case %1, repeat %2: %3 over %4</source>
        <translation>choix    cas %1, répétition %2 : %3 parmi %4</translation>
    </message>
    <message numerus="yes">
        <source>Send %n answer request(s),</source>
        <translation>
            <numerusform>Envoyer %n demande de réponse,</numerusform>
            <numerusform>Envoyer %n demandes de réponse,</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>ask for %n validator verdict(s)</source>
        <translation>
            <numerusform>demander %n verdict de validateur</numerusform>
            <numerusform>demander %n verdicts de validateur</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>and %n best-of-N pick(s)?</source>
        <translation>
            <numerusform>et %n choix best-of-N ?</numerusform>
            <numerusform>et %n choix best-of-N ?</numerusform>
        </translation>
    </message>
    <message>
        <source>A pick asks the judge twice, the answers&apos; positions swapped.</source>
        <translation>Un choix interroge le juge deux fois, les positions des réponses inversées.</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) cannot be fetched: answers of targets the run did not compare.</source>
        <translation>
            <numerusform>%n élément ne peut pas être récupéré : les réponses de cibles que l’exécution n’a pas comparées.</numerusform>
            <numerusform>%n éléments ne peuvent pas être récupérés : les réponses de cibles que l’exécution n’a pas comparées.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2 answer(s) and %3 verdict(s) or pick(s) missing; %4 replay(s) left out.</source>
        <translation>%1 : %2 réponse(s) et %3 verdict(s) ou choix manquent ; %4 rejeu(x) laissé(s) de côté.</translation>
    </message>
</context>
<context>
    <name>Slopscope::RoutingPolicyEditor</name>
    <message>
        <source>Cascade: draft, validate, escalate</source>
        <translation>Cascade&#xa0;: brouillon, validation, escalade</translation>
    </message>
    <message>
        <source>By tag: route by the case&apos;s tags</source>
        <translation>Par étiquette&#xa0;: router selon les étiquettes du cas</translation>
    </message>
    <message>
        <source>Best of N: a judge picks one answer</source>
        <translation>Meilleure de N&#xa0;: un juge choisit une réponse</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>&amp;Nom</translation>
    </message>
    <message>
        <source>&amp;Description</source>
        <translation>&amp;Description</translation>
    </message>
    <message>
        <source>&amp;Kind</source>
        <translation>T&amp;ype</translation>
    </message>
    <message>
        <source>Target answers</source>
        <translation>Cible qui répond</translation>
    </message>
    <message>
        <source>Validator</source>
        <translation>Validateur</translation>
    </message>
    <message>
        <source>Keep at score ≥</source>
        <translation>Garder si score ≥</translation>
    </message>
    <message>
        <source>Each stage&apos;s answer is kept when its validator&apos;s score reaches the threshold; otherwise the next stage answers. The oracle reads the answer&apos;s own recorded grade: free, and an upper bound on a real validator.</source>
        <translation>La réponse d&apos;une étape est gardée quand le score de son validateur atteint le seuil&#xa0;; sinon l&apos;étape suivante répond. L&apos;oracle lit la note enregistrée de la réponse elle-même&#xa0;: gratuit, et une borne supérieure pour un vrai validateur.</translation>
    </message>
    <message>
        <source>Add Stage</source>
        <translation>Ajouter une étape</translation>
    </message>
    <message>
        <source>Remove Stage</source>
        <translation>Supprimer l&apos;étape</translation>
    </message>
    <message>
        <source>Cases tagged</source>
        <translation>Cas étiquetés</translation>
    </message>
    <message>
        <source>go to</source>
        <translation>vont à</translation>
    </message>
    <message>
        <source>Add Rule</source>
        <translation>Ajouter une règle</translation>
    </message>
    <message>
        <source>Remove Rule</source>
        <translation>Supprimer la règle</translation>
    </message>
    <message>
        <source>All other cases go to</source>
        <translation>Tous les autres cas vont à</translation>
    </message>
    <message>
        <source>Candidates (all answer; check two or more):</source>
        <translation>Candidats (tous répondent&#xa0;; cochez-en au moins deux)&#xa0;:</translation>
    </message>
    <message>
        <source>Judge picks one</source>
        <translation>Le juge en choisit une</translation>
    </message>
    <message>
        <source>%1 (not in this run)</source>
        <translation>%1 (absente de cette exécution)</translation>
    </message>
    <message>
        <source>oracle (the answer&apos;s own grade)</source>
        <translation>oracle (la note de la réponse elle-même)</translation>
    </message>
    <message>
        <source>%1 (recorded verdicts)</source>
        <translation>%1 (verdicts enregistrés)</translation>
    </message>
    <message>
        <source>%1 (no verdicts recorded)</source>
        <translation>%1 (aucun verdict enregistré)</translation>
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
        <translation>La cible %1 ne faisait pas partie de cette exécution.</translation>
    </message>
    <message>
        <source>Significantly worse than the first run: the 95% intervals do not overlap.</source>
        <translation>Significativement moins bon que la première exécution : les intervalles à 95 % ne se chevauchent pas.</translation>
    </message>
    <message>
        <source>Significantly better than the first run: the 95% intervals do not overlap.</source>
        <translation>Significativement meilleur que la première exécution : les intervalles à 95 % ne se chevauchent pas.</translation>
    </message>
    <message>
        <source>Not significant: the 95% intervals overlap, so the change may be noise.</source>
        <translation>Non significatif : les intervalles à 95 % se chevauchent, le changement peut donc être du bruit.</translation>
    </message>
    <message numerus="yes">
        <source>Mean score over %n case(s); the range is a 95% bootstrap interval.</source>
        <translation>
            <numerusform>Score moyen sur %n cas ; la plage est un intervalle bootstrap à 95 %.</numerusform>
            <numerusform>Score moyen sur %n cas ; la plage est un intervalle bootstrap à 95 %.</numerusform>
        </translation>
    </message>
    <message>
        <source>The provider reported %1 here but %2 in the run before: the model may have been swapped without notice.</source>
        <translation>Le fournisseur a signalé %1 ici mais %2 lors de l&apos;exécution précédente : le modèle a peut-être été remplacé sans préavis.</translation>
    </message>
    <message>
        <source>The model the provider reported; configured: %1</source>
        <translation>Le modèle signalé par le fournisseur ; configuré : %1</translation>
    </message>
    <message>
        <source>Mean cost of one case.</source>
        <translation>Coût moyen d&apos;un cas.</translation>
    </message>
    <message numerus="yes">
        <source>Unknown: %n answer(s) had no known price.</source>
        <translation>
            <numerusform>Inconnu : %n réponse n&apos;avait pas de prix connu.</numerusform>
            <numerusform>Inconnu : %n réponses n&apos;avaient pas de prix connu.</numerusform>
        </translation>
    </message>
    <message>
        <source>Answers that did not complete, of those recorded.</source>
        <translation>Réponses non terminées, parmi celles enregistrées.</translation>
    </message>
    <message>
        <source>Target %1: the reported model changed between these runs.</source>
        <translation>Cible %1 : le modèle signalé a changé entre ces exécutions.</translation>
    </message>
    <message>
        <source>Target %1</source>
        <translation>Cible %1</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Cible</translation>
    </message>
    <message>
        <source>Run %1 of %2, the baseline the others are compared with.</source>
        <translation>Exécution %1 de %2, la référence à laquelle les autres sont comparées.</translation>
    </message>
    <message>
        <source>Run %1 of %2</source>
        <translation>Exécution %1 de %2</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>Qualité</translation>
    </message>
    <message>
        <source>TTFT</source>
        <translation>TTFT</translation>
    </message>
    <message>
        <source>Decode</source>
        <translation>Décodage</translation>
    </message>
    <message>
        <source>Cost/case</source>
        <translation>Coût/cas</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Échecs</translation>
    </message>
    <message>
        <source>Reported model</source>
        <translation>Modèle signalé</translation>
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
        <translation>%1 (référence)</translation>
    </message>
</context>
<context>
    <name>Slopscope::RunComparisonView</name>
    <message>
        <source>Compare Runs</source>
        <translation>Comparer les exécutions</translation>
    </message>
    <message>
        <source>Each run against the oldest one. Bold ▼/▲ on a tint: a significant change (the 95% intervals do not overlap); ≈: within the noise. ⚠: the provider reported another model than in the run before, a sign of a silent model swap. —: unknown.</source>
        <translation>Chaque exécution comparée à la plus ancienne. ▼/▲ en gras sur fond coloré : un changement significatif (les intervalles à 95 % ne se chevauchent pas) ; ≈ : dans le bruit. ⚠ : le fournisseur a signalé un autre modèle que lors de l&apos;exécution précédente, signe d&apos;un remplacement silencieux du modèle. — : inconnu.</translation>
    </message>
    <message>
        <source>Targets across the compared runs</source>
        <translation>Cibles dans les exécutions comparées</translation>
    </message>
    <message>
        <source>Show &amp;Drift…</source>
        <translation>Afficher la &amp;dérive…</translation>
    </message>
    <message>
        <source>The selected target across every recorded run (Enter)</source>
        <translation>La cible sélectionnée sur toutes les exécutions enregistrées (Entrée)</translation>
    </message>
    <message>
        <source>No run %1 in the history.</source>
        <translation>Aucune exécution %1 dans l&apos;historique.</translation>
    </message>
    <message>
        <source>Reading the history…</source>
        <translation>Lecture de l&apos;historique…</translation>
    </message>
    <message>
        <source>Cannot compare the runs: %1</source>
        <translation>Impossible de comparer les exécutions : %1</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) compared, %1.</source>
        <translation>
            <numerusform>%n exécution comparée, %1.</numerusform>
            <numerusform>%n exécutions comparées, %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n target(s)</source>
        <translation>
            <numerusform>%n cible</numerusform>
            <numerusform>%n cibles</numerusform>
        </translation>
    </message>
    <message>
        <source>fewer than two suite runs are selected (quick-compare exchanges are not compared).</source>
        <translation>moins de deux exécutions de suite sont sélectionnées (les échanges de comparaison rapide ne sont pas comparés).</translation>
    </message>
</context>
<context>
    <name>Slopscope::RunListModel</name>
    <message>
        <source>running</source>
        <translation>en cours</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>terminé</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>annulé</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>interrompu</translation>
    </message>
    <message numerus="yes">
        <source>%n result(s) without a known price are not counted.</source>
        <translation>
            <numerusform>%n résultat sans prix connu n&apos;est pas compté.</numerusform>
            <numerusform>%n résultats sans prix connu ne sont pas comptés.</numerusform>
        </translation>
    </message>
    <message>
        <source>Run %1</source>
        <translation>Exécution %1</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 sur %2</translation>
    </message>
    <message>
        <source>$%1</source>
        <translation>$%1</translation>
    </message>
    <message>
        <source>%1 (resumed)</source>
        <translation>%1 (repris)</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Début</translation>
    </message>
    <message>
        <source>Suite</source>
        <translation>Suite</translation>
    </message>
    <message>
        <source>Targets</source>
        <translation>Cibles</translation>
    </message>
    <message>
        <source>Answers</source>
        <translation>Réponses</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Coût</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Quick compare</source>
        <translation>Comparaison rapide</translation>
    </message>
    <message numerus="yes">
        <source>%1 (one prompt sent to %n target(s)): %2</source>
        <translation>
            <numerusform>%1 (un prompt envoyé à %n cible) : %2</numerusform>
            <numerusform>%1 (un prompt envoyé à %n cibles) : %2</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
</context>
<context>
    <name>Slopscope::RunRecorder</name>
    <message numerus="yes">
        <source>Disk full: %n result(s) waiting to be saved</source>
        <translation>
            <numerusform>Disque plein : %n résultat en attente d’enregistrement</numerusform>
            <numerusform>Disque plein : %n résultats en attente d’enregistrement</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saving is behind: %n result(s) waiting to be saved</source>
        <translation>
            <numerusform>Enregistrement en retard : %n résultat en attente d’enregistrement</numerusform>
            <numerusform>Enregistrement en retard : %n résultats en attente d’enregistrement</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Slopscope::RunScheduler</name>
    <message>
        <source>A run is already going</source>
        <translation>Une exécution est déjà en cours</translation>
    </message>
    <message>
        <source>Job %1 names the unknown provider &quot;%2&quot;</source>
        <translation>La tâche %1 désigne le fournisseur inconnu &quot;%2&quot;</translation>
    </message>
    <message>
        <source>Job ids must be unique and not empty (&quot;%1&quot;)</source>
        <translation>Les identifiants de tâche doivent être uniques et non vides (&quot;%1&quot;)</translation>
    </message>
    <message>
        <source>No run is going to add jobs to</source>
        <translation>Aucune exécution en cours à laquelle ajouter des tâches</translation>
    </message>
    <message>
        <source>rate limit used up (provider headers)</source>
        <translation>limite de débit épuisée (en-têtes du fournisseur)</translation>
    </message>
    <message>
        <source>resuming in %1</source>
        <translation>reprise dans %1</translation>
    </message>
    <message>
        <source>rate-limited, %1</source>
        <translation>débit limité, %1</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message numerus="yes">
        <source>(gave up after %n attempt(s))</source>
        <translation>
            <numerusform>(abandon après %n tentative)</numerusform>
            <numerusform>(abandon après %n tentatives)</numerusform>
        </translation>
    </message>
    <message>
        <source>Not sent: provider %1 stopped after an error no retry can fix: %2</source>
        <translation>Non envoyé&#xa0;: le fournisseur %1 s&apos;est arrêté après une erreur qu&apos;aucune nouvelle tentative ne peut corriger&#xa0;: %2</translation>
    </message>
    <message numerus="yes">
        <source>too many failures: %n retries in the last %1</source>
        <translation>
            <numerusform>trop d&apos;échecs&#xa0;: %n nouvelle tentative en l&apos;espace de %1</numerusform>
            <numerusform>trop d&apos;échecs&#xa0;: %n nouvelles tentatives en l&apos;espace de %1</numerusform>
        </translation>
    </message>
    <message>
        <source>offline — waiting for the network</source>
        <translation>hors ligne — en attente du réseau</translation>
    </message>
    <message>
        <source>rate-limited</source>
        <translation>limité en débit</translation>
    </message>
</context>
<context>
    <name>Slopscope::RunSession</name>
    <message>
        <source>The workspace has no target &quot;%1&quot;.</source>
        <translation>L&apos;espace de travail n&apos;a pas de cible « %1 ».</translation>
    </message>
    <message>
        <source>No target is selected.</source>
        <translation>Aucune cible n&apos;est sélectionnée.</translation>
    </message>
    <message>
        <source>The suite has no case to run.</source>
        <translation>La suite n&apos;a aucun cas à exécuter.</translation>
    </message>
    <message>
        <source>Repeats must be at least 1.</source>
        <translation>Le nombre de répétitions doit être d&apos;au moins 1.</translation>
    </message>
    <message>
        <source>A run is already going.</source>
        <translation>Une exécution est déjà en cours.</translation>
    </message>
    <message>
        <source>Every cell of this run is already answered; there is nothing to resume.</source>
        <translation>Chaque cellule de cette exécution a déjà une réponse&#xa0;; il n&apos;y a rien à reprendre.</translation>
    </message>
    <message>
        <source>The workspace has no target &quot;%1&quot; to be the judge.</source>
        <translation>L&apos;espace de travail n&apos;a pas de cible &quot;%1&quot; pouvant servir de juge.</translation>
    </message>
    <message>
        <source>The judge &quot;%1&quot; names the unknown provider &quot;%2&quot;.</source>
        <translation>Le juge &quot;%1&quot; désigne le fournisseur inconnu &quot;%2&quot;.</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>annulé</translation>
    </message>
    <message>
        <source>spend cap of $%1 reached</source>
        <translation>plafond de dépenses de $%1 atteint</translation>
    </message>
    <message>
        <source>the run ended before the judge answered</source>
        <translation>l&apos;exécution s&apos;est terminée avant la réponse du juge</translation>
    </message>
    <message>
        <source>no judge</source>
        <translation>aucun juge</translation>
    </message>
    <message>
        <source>waiting for the other targets&apos; answers</source>
        <translation>en attente des réponses des autres cibles</translation>
    </message>
    <message>
        <source>llm-rubric needs a rubric (the assertion&apos;s value)</source>
        <translation>llm-rubric nécessite une grille d&apos;évaluation (la valeur de l&apos;assertion)</translation>
    </message>
    <message>
        <source>factuality needs a reference (the assertion&apos;s value or the case&apos;s reference)</source>
        <translation>factuality nécessite une référence (la valeur de l&apos;assertion ou la référence du cas)</translation>
    </message>
    <message>
        <source>waiting for the judge</source>
        <translation>en attente du juge</translation>
    </message>
    <message>
        <source>the run stopped before the judge was asked</source>
        <translation>l&apos;exécution s&apos;est arrêtée avant que le juge soit sollicité</translation>
    </message>
    <message>
        <source>select-best needs at least two answers</source>
        <translation>select-best nécessite au moins deux réponses</translation>
    </message>
    <message>
        <source>the judge call was cancelled</source>
        <translation>l&apos;appel au juge a été annulé</translation>
    </message>
    <message>
        <source>the judge request failed: %1</source>
        <translation>la requête au juge a échoué&#xa0;: %1</translation>
    </message>
    <message>
        <source>no complete answer</source>
        <translation>aucune réponse complète</translation>
    </message>
    <message>
        <source>%1 was picked: %2</source>
        <translation>%1 a été choisi&#xa0;: %2</translation>
    </message>
    <message>
        <source>first ask picked %1, swapped ask picked %2</source>
        <translation>la première demande a choisi %1, la demande inversée a choisi %2</translation>
    </message>
    <message>
        <source>The workspace has no usable target &quot;%1&quot; to be the validator.</source>
        <translation>L’espace de travail n’a pas de cible utilisable « %1 » pour valider.</translation>
    </message>
    <message>
        <source>%1: no complete answer is recorded to judge</source>
        <translation>%1 : aucune réponse complète n’est enregistrée à juger</translation>
    </message>
    <message>
        <source>%1: the case has no rubric and no reference to judge the answer against</source>
        <translation>%1 : le cas n’a ni grille ni référence à laquelle comparer la réponse</translation>
    </message>
    <message>
        <source>%1: nothing the validator could be asked</source>
        <translation>%1 : rien que le validateur puisse se voir demander</translation>
    </message>
    <message>
        <source>The workspace has no usable target &quot;%1&quot; to be the judge.</source>
        <translation>L’espace de travail n’a pas de cible utilisable « %1 » pour juger.</translation>
    </message>
    <message>
        <source>the answers to compare are gone</source>
        <translation>les réponses à comparer ont disparu</translation>
    </message>
    <message>
        <source>%1: no complete answers to one case are recorded to compare</source>
        <translation>%1 : aucune réponse complète à un même cas n’est enregistrée à comparer</translation>
    </message>
    <message>
        <source>the run ended before the code tests ran</source>
        <translation>l&apos;exécution s&apos;est terminée avant les tests de code</translation>
    </message>
    <message>
        <source>not: %1</source>
        <translation>pas : %1</translation>
    </message>
    <message>
        <source>no code block in the answer</source>
        <translation>aucun bloc de code dans la réponse</translation>
    </message>
    <message>
        <source>the run stopped before the code tests ran</source>
        <translation>l&apos;exécution s&apos;est arrêtée avant les tests de code</translation>
    </message>
    <message>
        <source>waiting for the code tests</source>
        <translation>en attente des tests de code</translation>
    </message>
    <message>
        <source>the run was cancelled before the code tests finished</source>
        <translation>l&apos;exécution a été annulée avant la fin des tests de code</translation>
    </message>
    <message>
        <source>not compared: %1, whose chain did not answer turn %2</source>
        <translation>non comparé : %1, dont la chaîne n&apos;a pas répondu au tour %2</translation>
    </message>
</context>
<context>
    <name>Slopscope::SessionKeyStore</name>
    <message>
        <source>this session only</source>
        <translation>cette session uniquement</translation>
    </message>
</context>
<context>
    <name>Slopscope::SettingsDialog</name>
    <message>
        <source>Preferences</source>
        <translation>Préférences</translation>
    </message>
    <message>
        <source>&amp;Keys</source>
        <translation>&amp;Clés</translation>
    </message>
    <message>
        <source>&amp;Appearance</source>
        <translation>&amp;Apparence</translation>
    </message>
    <message>
        <source>&amp;Providers</source>
        <translation>&amp;Fournisseurs</translation>
    </message>
</context>
<context>
    <name>Slopscope::SingleInstance</name>
    <message>
        <source>Cannot write the instance lock %1: permission denied</source>
        <translation>Impossible d&apos;écrire le verrou d&apos;instance %1&#xa0;: permission refusée</translation>
    </message>
    <message>
        <source>Cannot write the instance lock %1</source>
        <translation>Impossible d&apos;écrire le verrou d&apos;instance %1</translation>
    </message>
</context>
<context>
    <name>Slopscope::StoreWriter</name>
    <message>
        <source>The history file %1 does not exist; open it with HistoryStore first.</source>
        <translation>Le fichier d&apos;historique %1 n&apos;existe pas&#xa0;; ouvrez-le d&apos;abord avec HistoryStore.</translation>
    </message>
    <message>
        <source>Cannot open %1 for writing: %2</source>
        <translation>Impossible d&apos;ouvrir %1 en écriture&#xa0;: %2</translation>
    </message>
    <message>
        <source>Cannot prepare %1 for writing: %2</source>
        <translation>Impossible de préparer %1 pour l&apos;écriture&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1 has history schema %2, but this version of Slopscope writes schema %3.</source>
        <translation>%1 a le schéma d&apos;historique %2, mais cette version de Slopscope écrit le schéma %3.</translation>
    </message>
    <message numerus="yes">
        <source>%n operation(s) could not be saved to %1 before closing.</source>
        <translation>
            <numerusform>%n opération n&apos;a pas pu être enregistrée dans %1 avant la fermeture.</numerusform>
            <numerusform>%n opérations n&apos;ont pas pu être enregistrées dans %1 avant la fermeture.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The history file %1 is locked by another program; waiting to save %n result(s).</source>
        <translation>
            <numerusform>Le fichier d&apos;historique %1 est verrouillé par un autre programme&#xa0;; %n résultat attend d&apos;être enregistré.</numerusform>
            <numerusform>Le fichier d&apos;historique %1 est verrouillé par un autre programme&#xa0;; %n résultats attendent d&apos;être enregistrés.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The disk holding %1 is full (or the history reached its size limit). %n finished result(s) are kept in memory and saving is retried; free some space.</source>
        <translation>
            <numerusform>Le disque contenant %1 est plein (ou l&apos;historique a atteint sa taille maximale). %n résultat terminé est conservé en mémoire et l&apos;enregistrement sera réessayé&#xa0;; libérez de l&apos;espace.</numerusform>
            <numerusform>Le disque contenant %1 est plein (ou l&apos;historique a atteint sa taille maximale). %n résultats terminés sont conservés en mémoire et l&apos;enregistrement sera réessayé&#xa0;; libérez de l&apos;espace.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 has become read-only; %n result(s) are kept in memory and saving is retried.</source>
        <translation>
            <numerusform>%1 est passé en lecture seule&#xa0;; %n résultat est conservé en mémoire et l&apos;enregistrement sera réessayé.</numerusform>
            <numerusform>%1 est passé en lecture seule&#xa0;; %n résultats sont conservés en mémoire et l&apos;enregistrement sera réessayé.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saving to %1 failed (%2); %n result(s) are kept in memory and saving is retried.</source>
        <translation>
            <numerusform>L&apos;enregistrement dans %1 a échoué (%2)&#xa0;; %n résultat est conservé en mémoire et l&apos;enregistrement sera réessayé.</numerusform>
            <numerusform>L&apos;enregistrement dans %1 a échoué (%2)&#xa0;; %n résultats sont conservés en mémoire et l&apos;enregistrement sera réessayé.</numerusform>
        </translation>
    </message>
    <message>
        <source>An entry could not be saved to %1 and was dropped: %2</source>
        <translation>Une entrée n&apos;a pas pu être enregistrée dans %1 et a été abandonnée&#xa0;: %2</translation>
    </message>
    <message>
        <source>no run %1 in the history</source>
        <translation>aucune exécution %1 dans l&apos;historique</translation>
    </message>
</context>
<context>
    <name>Slopscope::StreamHandler</name>
    <message>
        <source>response exceeded %1</source>
        <translation>la réponse a dépassé %1</translation>
    </message>
    <message numerus="yes">
        <source>connection lost after %n content event(s): %1</source>
        <translation>
            <numerusform>connexion perdue après %n événement de contenu&#xa0;: %1</numerusform>
            <numerusform>connexion perdue après %n événements de contenu&#xa0;: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 redirected the request (HTTP %2) to %3; redirects are not followed, so the key is not sent elsewhere. Check the provider&apos;s base URL</source>
        <translation>%1 a redirigé la requête (HTTP %2) vers %3&#xa0;; les redirections ne sont pas suivies, afin que la clé ne soit pas envoyée ailleurs. Vérifiez l&apos;URL de base du fournisseur</translation>
    </message>
    <message>
        <source>an unnamed location</source>
        <translation>un emplacement sans nom</translation>
    </message>
    <message>
        <source>%1 sent no HTTP response</source>
        <translation>%1 n&apos;a envoyé aucune réponse HTTP</translation>
    </message>
    <message>
        <source>No decoder for %1 responses</source>
        <translation>Aucun décodeur pour les réponses %1</translation>
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
        <translation>%1 de %2&#xa0;: %3</translation>
    </message>
    <message numerus="yes">
        <source>the provider reported an error after %n content event(s): %1</source>
        <translation>
            <numerusform>le fournisseur a signalé une erreur après %n événement de contenu&#xa0;: %1</numerusform>
            <numerusform>le fournisseur a signalé une erreur après %n événements de contenu&#xa0;: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>the provider reported an error: %1</source>
        <translation>le fournisseur a signalé une erreur&#xa0;: %1</translation>
    </message>
    <message>
        <source>the provider stopped early (%1)</source>
        <translation>le fournisseur s&apos;est arrêté prématurément (%1)</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>aucune raison donnée</translation>
    </message>
    <message numerus="yes">
        <source>stream ended without its end marker after %n content event(s)</source>
        <translation>
            <numerusform>le flux s&apos;est terminé sans son marqueur de fin après %n événement de contenu</numerusform>
            <numerusform>le flux s&apos;est terminé sans son marqueur de fin après %n événements de contenu</numerusform>
        </translation>
    </message>
    <message>
        <source>stream ended without any content or end marker</source>
        <translation>le flux s&apos;est terminé sans contenu ni marqueur de fin</translation>
    </message>
    <message>
        <source>%1 sent a response that could not be read: %2</source>
        <translation>%1 a envoyé une réponse illisible : %2</translation>
    </message>
</context>
<context>
    <name>Slopscope::StreamPane</name>
    <message>
        <source>idle</source>
        <translation>inactif</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>en file d&apos;attente</translation>
    </message>
    <message>
        <source>waiting for first token</source>
        <translation>en attente du premier jeton</translation>
    </message>
    <message>
        <source>streaming</source>
        <translation>réception en cours</translation>
    </message>
    <message>
        <source>retrying</source>
        <translation>nouvelle tentative</translation>
    </message>
    <message>
        <source>done</source>
        <translation>terminé</translation>
    </message>
    <message>
        <source>truncated</source>
        <translation>tronqué</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>échoué</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>annulé</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>inconnu</translation>
    </message>
    <message>
        <source>TTFT %1 ms · %2 tok/s · %3 tokens · cost %4</source>
        <translation>TTFT %1&#xa0;ms · %2&#xa0;tok/s · %3 jetons · coût %4</translation>
    </message>
    <message>
        <source>Tokens per second estimated from characters: the provider reported no usage.</source>
        <translation>Jetons par seconde estimés à partir des caractères&#xa0;: le fournisseur n&apos;a pas indiqué de consommation.</translation>
    </message>
    <message numerus="yes">
        <source>Reasoning (%n character(s))</source>
        <translation>
            <numerusform>Raisonnement (%n caractère)</numerusform>
            <numerusform>Raisonnement (%n caractères)</numerusform>
        </translation>
    </message>
    <message>
        <source>Chain so far</source>
        <translation>Chaîne jusqu&apos;ici</translation>
    </message>
    <message>
        <source>%1 · answering…</source>
        <translation>%1 · réponse en cours…</translation>
    </message>
</context>
<context>
    <name>Slopscope::StreamPaneGrid</name>
    <message>
        <source>No case running.</source>
        <translation>Aucun cas en cours.</translation>
    </message>
</context>
<context>
    <name>Slopscope::SuiteCaseModel</name>
    <message>
        <source>(no id)</source>
        <translation>(pas d&apos;id)</translation>
    </message>
    <message>
        <source>The suite has no cases.</source>
        <translation>La suite ne contient aucun cas.</translation>
    </message>
    <message>
        <source>The suite has no name.</source>
        <translation>La suite n&apos;a pas de nom.</translation>
    </message>
    <message>
        <source>Case %1 (%2): %3</source>
        <translation>Cas %1 (%2) : %3</translation>
    </message>
    <message>
        <source>the id is empty</source>
        <translation>l&apos;id est vide</translation>
    </message>
    <message>
        <source>duplicate case id &quot;%1&quot;</source>
        <translation>id de cas « %1 » en double</translation>
    </message>
</context>
<context>
    <name>Slopscope::SuiteDefaultsForm</name>
    <message>
        <source>Every case of the suite starts from these.</source>
        <translation>Chaque cas de la suite part de ces valeurs.</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>Prompt système</translation>
    </message>
    <message>
        <source>Sent first with every case; {{name}} is filled from the case&apos;s variables.</source>
        <translation>Envoyé en premier avec chaque cas ; {{name}} est rempli à partir des variables du cas.</translation>
    </message>
    <message>
        <source>&amp;System prompt</source>
        <translation>Prompt &amp;système</translation>
    </message>
    <message>
        <source>Params</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <source>Request parameters for every case, e.g. {&quot;temperature&quot;: 0}</source>
        <translation>Paramètres de requête pour chaque cas, p. ex. {&quot;temperature&quot;: 0}</translation>
    </message>
    <message>
        <source>&amp;Params</source>
        <translation>&amp;Paramètres</translation>
    </message>
    <message>
        <source>default params</source>
        <translation>paramètres par défaut</translation>
    </message>
    <message>
        <source>Default assertions</source>
        <translation>Assertions par défaut</translation>
    </message>
    <message>
        <source>Default asse&amp;rtions</source>
        <translation>Asse&amp;rtions par défaut</translation>
    </message>
    <message>
        <source>default assertions</source>
        <translation>assertions par défaut</translation>
    </message>
    <message>
        <source>Default time budget</source>
        <translation>Budget de temps par défaut</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>none</source>
        <translation>aucun</translation>
    </message>
    <message>
        <source>The time budget of every case without its own; 0 for none</source>
        <translation>Le budget de temps de chaque cas qui n&apos;a pas le sien ; 0 pour aucun</translation>
    </message>
    <message>
        <source>Default time &amp;budget</source>
        <translation>&amp;Budget de temps par défaut</translation>
    </message>
    <message>
        <source>default time budget</source>
        <translation>budget de temps par défaut</translation>
    </message>
    <message>
        <source>Default assertions: %1</source>
        <translation>Assertions par défaut : %1</translation>
    </message>
    <message>
        <source>Change %1</source>
        <translation>Modifier %1</translation>
    </message>
    <message>
        <source>default system prompt</source>
        <translation>prompt système par défaut</translation>
    </message>
    <message>
        <source>Suite description</source>
        <translation>Description de la suite</translation>
    </message>
    <message>
        <source>What the suite measures, for whoever runs it next.</source>
        <translation>Ce que mesure la suite, pour qui l’exécutera ensuite.</translation>
    </message>
    <message>
        <source>&amp;Description</source>
        <translation>&amp;Description</translation>
    </message>
    <message>
        <source>suite description</source>
        <translation>description de la suite</translation>
    </message>
</context>
<context>
    <name>Slopscope::SuiteEditor</name>
    <message>
        <source>Suite name</source>
        <translation>Nom de la suite</translation>
    </message>
    <message>
        <source>Rename suite</source>
        <translation>Renommer la suite</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>Cas</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>&amp;Ajouter</translation>
    </message>
    <message>
        <source>Add a case after the selected one</source>
        <translation>Ajouter un cas après celui sélectionné</translation>
    </message>
    <message>
        <source>D&amp;uplicate</source>
        <translation>D&amp;upliquer</translation>
    </message>
    <message>
        <source>Duplicate the selected case</source>
        <translation>Dupliquer le cas sélectionné</translation>
    </message>
    <message>
        <source>Remo&amp;ve</source>
        <translation>&amp;Supprimer</translation>
    </message>
    <message>
        <source>Remove the selected case</source>
        <translation>Supprimer le cas sélectionné</translation>
    </message>
    <message>
        <source>▲</source>
        <translation>▲</translation>
    </message>
    <message>
        <source>Move the case up</source>
        <translation>Monter le cas</translation>
    </message>
    <message>
        <source>▼</source>
        <translation>▼</translation>
    </message>
    <message>
        <source>Move the case down</source>
        <translation>Descendre le cas</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problème</translation>
    </message>
    <message>
        <source>Add case %1</source>
        <translation>Ajouter le cas %1</translation>
    </message>
    <message>
        <source>Duplicate case %1</source>
        <translation>Dupliquer le cas %1</translation>
    </message>
    <message>
        <source>Remove case %1</source>
        <translation>Supprimer le cas %1</translation>
    </message>
    <message>
        <source>Move case %1</source>
        <translation>Déplacer le cas %1</translation>
    </message>
    <message>
        <source>Change case %1</source>
        <translation>Modifier le cas %1</translation>
    </message>
    <message>
        <source>&amp;Case</source>
        <translation>&amp;Cas</translation>
    </message>
    <message>
        <source>Varia&amp;nts</source>
        <translation>Varia&amp;ntes</translation>
    </message>
    <message>
        <source>Suite de&amp;faults</source>
        <translation>Valeurs par &amp;défaut de la suite</translation>
    </message>
    <message>
        <source>Varia&amp;nts (%1)</source>
        <translation>Varia&amp;ntes (%1)</translation>
    </message>
    <message>
        <source>Suite defaults: %1</source>
        <translation>Valeurs par défaut de la suite : %1</translation>
    </message>
    <message>
        <source>Change the suite defaults</source>
        <translation>Modifier les valeurs par défaut de la suite</translation>
    </message>
</context>
<context>
    <name>Slopscope::TargetListWidget</name>
    <message>
        <source>price unknown</source>
        <translation>prix inconnu</translation>
    </message>
    <message>
        <source>$%1 / $%2 per Mtok</source>
        <translation>$%1 / $%2 par Mtok</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Cible</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>Fournisseur</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <source>Price (in / out)</source>
        <translation>Prix (entrée / sortie)</translation>
    </message>
</context>
<context>
    <name>Slopscope::TargetSettingsForm</name>
    <message>
        <source>Price (US$ per million tokens)</source>
        <translation>Prix (US$ par million de jetons)</translation>
    </message>
    <message>
        <source>&amp;Input:</source>
        <translation>&amp;Entrée :</translation>
    </message>
    <message>
        <source>&amp;Output:</source>
        <translation>&amp;Sortie :</translation>
    </message>
    <message>
        <source>&amp;Cached input:</source>
        <translation>Entrée en &amp;cache :</translation>
    </message>
    <message>
        <source>Cache &amp;write:</source>
        <translation>É&amp;criture en cache :</translation>
    </message>
    <message>
        <source>Reaso&amp;ning:</source>
        <translation>Raiso&amp;nnement :</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <source>provider default</source>
        <translation>valeur par défaut du fournisseur</translation>
    </message>
    <message>
        <source>&amp;Temperature:</source>
        <translation>&amp;Température :</translation>
    </message>
    <message>
        <source>&amp;Max tokens:</source>
        <translation>Jetons &amp;max. :</translation>
    </message>
    <message>
        <source>&amp;Reasoning effort:</source>
        <translation>Effort de &amp;raisonnement :</translation>
    </message>
    <message>
        <source>Target %1 (%2 on %3)</source>
        <translation>Cible %1 (%2 sur %3)</translation>
    </message>
    <message>
        <source>No price catalogue: an empty price is unknown.</source>
        <translation>Pas de catalogue de prix : un prix vide est inconnu.</translation>
    </message>
    <message>
        <source>“%1” is not in the price catalogue of %2: an empty price is unknown.</source>
        <translation>« %1 » n’est pas dans le catalogue de prix de %2 : un prix vide est inconnu.</translation>
    </message>
    <message>
        <source>Empty fields take the price catalogue of %1 (%2), for short prompts; a value you enter overrides it.</source>
        <translation>Les champs vides reprennent le catalogue de prix de %1 (%2), pour les prompts courts ; une valeur saisie le remplace.</translation>
    </message>
    <message>
        <source>Empty fields take the price catalogue of %1 (%2); a value you enter overrides it.</source>
        <translation>Les champs vides reprennent le catalogue de prix de %1 (%2) ; une valeur saisie le remplace.</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>inconnu</translation>
    </message>
    <message>
        <source>%1.price: “%2” is not a number</source>
        <translation>%1.price : « %2 » n’est pas un nombre</translation>
    </message>
    <message>
        <source>%1.params.temperature: “%2” is not a number</source>
        <translation>%1.params.temperature : « %2 » n’est pas un nombre</translation>
    </message>
    <message>
        <source>overrides the catalogue (%1)</source>
        <translation>remplace le catalogue (%1)</translation>
    </message>
    <message>
        <source>set here</source>
        <translation>défini ici</translation>
    </message>
    <message>
        <source>from the catalogue</source>
        <translation>du catalogue</translation>
    </message>
</context>
<context>
    <name>Slopscope::VariantsEditor</name>
    <message>
        <source>Variant &amp;list</source>
        <translation>&amp;Liste des variantes</translation>
    </message>
    <message>
        <source>Variants</source>
        <translation>Variantes</translation>
    </message>
    <message>
        <source>A&amp;dd variant</source>
        <translation>A&amp;jouter une variante</translation>
    </message>
    <message>
        <source>Add a variant of the case, starting from its prompt</source>
        <translation>Ajouter une variante du cas, à partir de son prompt</translation>
    </message>
    <message>
        <source>Duplicate as &amp;paraphrase</source>
        <translation>Dupliquer en &amp;paraphrase</translation>
    </message>
    <message>
        <source>Copy the selected variant (or the case) as a paraphrase to reword</source>
        <translation>Copier la variante sélectionnée (ou le cas) comme paraphrase à reformuler</translation>
    </message>
    <message>
        <source>Remove varian&amp;t</source>
        <translation>Supprimer la varian&amp;te</translation>
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
        <translation>Type de variante</translation>
    </message>
    <message>
        <source>How the variant differs from the case; any word, or empty</source>
        <translation>En quoi la variante diffère du cas ; n&apos;importe quel mot, ou vide</translation>
    </message>
    <message>
        <source>&amp;Kind</source>
        <translation>T&amp;ype</translation>
    </message>
    <message>
        <source>kind</source>
        <translation>type</translation>
    </message>
    <message>
        <source>Variant prompt</source>
        <translation>Prompt de la variante</translation>
    </message>
    <message>
        <source>The same question, asked differently; {{name}} is filled from the variables.</source>
        <translation>La même question, posée autrement ; {{name}} est rempli à partir des variables.</translation>
    </message>
    <message>
        <source>Variant messages</source>
        <translation>Messages de la variante</translation>
    </message>
    <message>
        <source>messages</source>
        <translation>messages</translation>
    </message>
    <message>
        <source>Pro&amp;mpt</source>
        <translation>Pro&amp;mpt</translation>
    </message>
    <message>
        <source>Variable overrides</source>
        <translation>Remplacements de variables</translation>
    </message>
    <message>
        <source>Replace the case&apos;s variables of the same name for this variant</source>
        <translation>Remplacer, pour cette variante, les variables du cas portant le même nom</translation>
    </message>
    <message>
        <source>Variable &amp;overrides</source>
        <translation>Remplacements de &amp;variables</translation>
    </message>
    <message>
        <source>variable overrides</source>
        <translation>remplacements de variables</translation>
    </message>
    <message>
        <source>Variant reference answer</source>
        <translation>Réponse de référence de la variante</translation>
    </message>
    <message>
        <source>Empty: the case&apos;s reference</source>
        <translation>Vide : la référence du cas</translation>
    </message>
    <message>
        <source>&amp;Reference</source>
        <translation>&amp;Référence</translation>
    </message>
    <message>
        <source>Variant %1: %2</source>
        <translation>Variante %1 : %2</translation>
    </message>
    <message>
        <source>Change %1 of variant %2 of case %3</source>
        <translation>Modifier %1 de la variante %2 du cas %3</translation>
    </message>
    <message>
        <source>Add variant %1 to case %2</source>
        <translation>Ajouter la variante %1 au cas %2</translation>
    </message>
    <message>
        <source>Duplicate %1 as paraphrase %2 in case %3</source>
        <translation>Dupliquer %1 en paraphrase %2 dans le cas %3</translation>
    </message>
    <message>
        <source>Remove variant %1 from case %2</source>
        <translation>Supprimer la variante %1 du cas %2</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>&amp;Messages</source>
        <translation>&amp;Messages</translation>
    </message>
    <message>
        <source>prompt</source>
        <translation>prompt</translation>
    </message>
    <message>
        <source>reference</source>
        <translation>référence</translation>
    </message>
    <message>
        <source>O&amp;wn assertions instead of the case&apos;s</source>
        <translation>Assertions pr&amp;opres au lieu de celles du cas</translation>
    </message>
    <message>
        <source>Variant assertions</source>
        <translation>Assertions de la variante</translation>
    </message>
    <message>
        <source>assertions</source>
        <translation>assertions</translation>
    </message>
</context>
<context>
    <name>Slopscope::VarsEditor</name>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valeur</translation>
    </message>
    <message>
        <source>Add variable</source>
        <translation>Ajouter une variable</translation>
    </message>
    <message>
        <source>Remove variable</source>
        <translation>Supprimer la variable</translation>
    </message>
    <message>
        <source>Variable %1 has a value but no name</source>
        <translation>La variable %1 a une valeur mais pas de nom</translation>
    </message>
    <message>
        <source>The variable &quot;%1&quot; is named twice</source>
        <translation>La variable &quot;%1&quot; est nommée deux fois</translation>
    </message>
</context>
<context>
    <name>StoreBackups</name>
    <message>
        <source>Cannot copy %1 to %2: %3</source>
        <translation>Impossible de copier %1 vers %2&#xa0;: %3</translation>
    </message>
    <message>
        <source>Cannot create the backup folder %1.</source>
        <translation>Impossible de créer le dossier de sauvegarde %1.</translation>
    </message>
    <message>
        <source>Cannot finish the backup %1.</source>
        <translation>Impossible de terminer la sauvegarde %1.</translation>
    </message>
</context>
<context>
    <name>StoreSchema</name>
    <message>
        <source>Cannot read the schema version of %1: %2</source>
        <translation>Impossible de lire la version du schéma de %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1 was written by a newer version of Slopscope (history schema %2; this version knows up to %3). It can be opened read-only; to change it, update Slopscope.</source>
        <translation>%1 a été écrit par une version plus récente de Slopscope (schéma d&apos;historique %2&#xa0;; cette version connaît jusqu&apos;au schéma %3). Il peut être ouvert en lecture seule&#xa0;; pour le modifier, mettez Slopscope à jour.</translation>
    </message>
    <message>
        <source>Cannot back up %1 to %2 before upgrading it: %3</source>
        <translation>Impossible de sauvegarder %1 vers %2 avant sa mise à niveau&#xa0;: %3</translation>
    </message>
    <message>
        <source>No migration to history schema %1.</source>
        <translation>Aucune migration vers le schéma d&apos;historique %1.</translation>
    </message>
    <message>
        <source>Cannot upgrade %1 to history schema %2: %3</source>
        <translation>Impossible de mettre à niveau %1 vers le schéma d&apos;historique %2&#xa0;: %3</translation>
    </message>
    <message>
        <source>the history has no identity row</source>
        <translation>l&apos;historique n&apos;a pas de ligne d&apos;identité</translation>
    </message>
</context>
<context>
    <name>StreamDecoder</name>
    <message>
        <source>A single event of the response exceeded %1 MiB; the stream was abandoned.</source>
        <translation>Un seul événement de la réponse a dépassé %1&#xa0;Mio&#xa0;; le flux a été abandonné.</translation>
    </message>
    <message>
        <source>The response exceeded %1 MiB; the stream was abandoned.</source>
        <translation>La réponse a dépassé %1&#xa0;Mio&#xa0;; le flux a été abandonné.</translation>
    </message>
    <message>
        <source>The response was not valid JSON: %1</source>
        <translation>La réponse n&apos;était pas du JSON valide&#xa0;: %1</translation>
    </message>
    <message>
        <source>The response was not valid JSON: an event could not be parsed.</source>
        <translation>La réponse n’était pas du JSON valide : un événement n’a pas pu être analysé.</translation>
    </message>
</context>
<context>
    <name>Suite</name>
    <message>
        <source>a suite must be a JSON object</source>
        <translation>une suite doit être un objet JSON</translation>
    </message>
    <message>
        <source>a list of cases is required</source>
        <translation>une liste de cas est requise</translation>
    </message>
    <message>
        <source>the suite has no cases</source>
        <translation>la suite n&apos;a aucun cas</translation>
    </message>
    <message>
        <source>duplicate case id &quot;%1&quot;</source>
        <translation>id de cas « %1 » en double</translation>
    </message>
    <message>
        <source>unknown key (expected one of: %1)</source>
        <translation>clé inconnue (clés attendues&#xa0;: %1)</translation>
    </message>
    <message>
        <source>missing (a string is required)</source>
        <translation>manquant (une chaîne est requise)</translation>
    </message>
    <message>
        <source>expected a string</source>
        <translation>chaîne attendue</translation>
    </message>
    <message>
        <source>expected a non-empty list of messages</source>
        <translation>liste non vide de messages attendue</translation>
    </message>
    <message>
        <source>expected an object with &quot;role&quot; and &quot;content&quot;</source>
        <translation>objet attendu avec &quot;role&quot; et &quot;content&quot;</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a role (system, user or assistant)</source>
        <translation>&quot;%1&quot; n&apos;est pas un rôle (system, user ou assistant)</translation>
    </message>
    <message>
        <source>expected a list of assertions</source>
        <translation>liste d&apos;assertions attendue</translation>
    </message>
    <message>
        <source>expected an object with a &quot;type&quot;</source>
        <translation>objet attendu avec un &quot;type&quot;</translation>
    </message>
    <message>
        <source>unknown assertion type &quot;%1&quot;</source>
        <translation>type d&apos;assertion &quot;%1&quot; inconnu</translation>
    </message>
    <message>
        <source>expected a number</source>
        <translation>nombre attendu</translation>
    </message>
    <message>
        <source>expected a number of at least 0</source>
        <translation>nombre supérieur ou égal à 0 attendu</translation>
    </message>
    <message>
        <source>expected an object of names and values</source>
        <translation>objet de noms et de valeurs attendu</translation>
    </message>
    <message>
        <source>expected a string or a number</source>
        <translation>chaîne ou nombre attendu</translation>
    </message>
    <message>
        <source>expected an object</source>
        <translation>objet attendu</translation>
    </message>
    <message>
        <source>unknown variable {{%1}}</source>
        <translation>variable inconnue {{%1}}</translation>
    </message>
    <message>
        <source>give either &quot;prompt&quot; or &quot;messages&quot;, not both</source>
        <translation>indiquez &quot;prompt&quot; ou &quot;messages&quot;, pas les deux</translation>
    </message>
    <message>
        <source>a &quot;prompt&quot; or a list of &quot;messages&quot; is required</source>
        <translation>un &quot;prompt&quot; ou une liste de &quot;messages&quot; est requis</translation>
    </message>
    <message>
        <source>the prompt is empty</source>
        <translation>l&apos;invite est vide</translation>
    </message>
    <message>
        <source>the id is empty</source>
        <translation>l&apos;id est vide</translation>
    </message>
    <message>
        <source>expected a list of strings</source>
        <translation>liste de chaînes attendue</translation>
    </message>
    <message>
        <source>expected a list of variants</source>
        <translation>liste de variantes attendue</translation>
    </message>
    <message>
        <source>duplicate variant id &quot;%1&quot;</source>
        <translation>identifiant de variante en double &quot;%1&quot;</translation>
    </message>
    <message>
        <source>%1: the file is UTF-16; save it as UTF-8</source>
        <translation>%1&#xa0;: le fichier est en UTF-16&#xa0;; enregistrez-le en UTF-8</translation>
    </message>
    <message>
        <source>Cannot open suite %1: %2</source>
        <translation>Impossible d&apos;ouvrir la suite %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>expected a whole number of milliseconds above 0</source>
        <translation>nombre entier de millisecondes supérieur à 0 attendu</translation>
    </message>
    <message>
        <source>%1:%2:%3: invalid UTF-8 at byte offset %4 (byte 0x%5); save the file as UTF-8</source>
        <translation>%1:%2:%3 : UTF-8 invalide à l’octet %4 (octet 0x%5) ; enregistrez le fichier en UTF-8</translation>
    </message>
    <message>
        <source>%1: the suite is too large (%2 MiB; limit %3 MiB)</source>
        <translation>%1 : la suite est trop volumineuse (%2 MiB ; limite %3 MiB)</translation>
    </message>
    <message>
        <source>expected a non-empty list of tool results</source>
        <translation>liste non vide de résultats d&apos;outil attendue</translation>
    </message>
    <message>
        <source>expected an object with a &quot;tool&quot;, a &quot;kind&quot; and a &quot;content&quot;</source>
        <translation>objet attendu avec un &quot;tool&quot;, un &quot;kind&quot; et un &quot;content&quot;</translation>
    </message>
    <message>
        <source>the tool name is empty (use &quot;*&quot; for any tool)</source>
        <translation>le nom de l&apos;outil est vide (utilisez &quot;*&quot; pour n&apos;importe quel outil)</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a kind of tool result (result, error, missing or interrupt)</source>
        <translation>&quot;%1&quot; n&apos;est pas un type de résultat d&apos;outil (result, error, missing ou interrupt)</translation>
    </message>
    <message>
        <source>missing (a string, or the JSON the tool returns)</source>
        <translation>manquant (une chaîne, ou le JSON renvoyé par l&apos;outil)</translation>
    </message>
    <message>
        <source>expected a string (what the user says)</source>
        <translation>chaîne attendue (ce que dit l&apos;utilisateur)</translation>
    </message>
    <message>
        <source>expected a string, an object or a list</source>
        <translation>chaîne, objet ou liste attendu</translation>
    </message>
    <message>
        <source>an interrupt needs what the user says as its content</source>
        <translation>une interruption doit avoir comme contenu ce que dit l&apos;utilisateur</translation>
    </message>
    <message>
        <source>expected a non-empty list of turns</source>
        <translation>liste non vide de tours attendue</translation>
    </message>
    <message>
        <source>expected an object with a &quot;user&quot; message</source>
        <translation>objet attendu avec un message &quot;user&quot;</translation>
    </message>
    <message>
        <source>the user message is empty</source>
        <translation>le message de l&apos;utilisateur est vide</translation>
    </message>
    <message>
        <source>expected a whole number from 1 to 100</source>
        <translation>nombre entier de 1 à 100 attendu</translation>
    </message>
    <message>
        <source>expected a list of tools</source>
        <translation>liste d&apos;outils attendue</translation>
    </message>
    <message>
        <source>expected an object with a &quot;name&quot;</source>
        <translation>objet attendu avec un &quot;name&quot;</translation>
    </message>
    <message>
        <source>the name is empty</source>
        <translation>le nom est vide</translation>
    </message>
    <message>
        <source>duplicate tool name &quot;%1&quot;</source>
        <translation>nom d&apos;outil en double &quot;%1&quot;</translation>
    </message>
    <message>
        <source>expected a JSON Schema object</source>
        <translation>objet JSON Schema attendu</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not one of the tools offered</source>
        <translation>&quot;%1&quot; ne fait pas partie des outils proposés</translation>
    </message>
    <message>
        <source>expected true or false</source>
        <translation>true ou false attendu</translation>
    </message>
    <message>
        <source>the case offers no tools (add &quot;tools&quot; to it or to the defaults)</source>
        <translation>le cas ne propose aucun outil (ajoutez &quot;tools&quot; au cas ou aux valeurs par défaut)</translation>
    </message>
</context>
<context>
    <name>SuiteWriter</name>
    <message>
        <source>Cannot save the suite to %1: %2</source>
        <translation>Impossible d&apos;enregistrer la suite dans %1 : %2</translation>
    </message>
</context>
<context>
    <name>TextAttachment</name>
    <message>
        <source>&quot;%1&quot; is not a file that can be read.</source>
        <translation>« %1 » n&apos;est pas un fichier lisible.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is %2; attachments are limited to %3 of text.</source>
        <translation>« %1 » fait %2 ; les pièces jointes sont limitées à %3 de texte.</translation>
    </message>
    <message>
        <source>Cannot read &quot;%1&quot;: %2</source>
        <translation>Impossible de lire « %1 » : %2</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not plain text (it holds binary data); only text files can be attached.</source>
        <translation>« %1 » n&apos;est pas du texte brut (il contient des données binaires) ; seuls les fichiers texte peuvent être joints.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not UTF-8 text; only plain-text files in UTF-8 can be attached.</source>
        <translation>« %1 » n&apos;est pas du texte UTF-8 ; seuls les fichiers texte brut en UTF-8 peuvent être joints.</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <source>corrupt timeline blob at byte %1: %2</source>
        <translation>blob de chronologie corrompu à l&apos;octet %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>truncated</source>
        <translation>tronqué</translation>
    </message>
    <message>
        <source>integer out of range</source>
        <translation>entier hors limites</translation>
    </message>
    <message>
        <source>not a timeline (bad magic)</source>
        <translation>ce n&apos;est pas une chronologie (nombre magique incorrect)</translation>
    </message>
    <message>
        <source>unsupported version %1</source>
        <translation>version %1 non prise en charge</translation>
    </message>
    <message>
        <source>unknown flags 0x%1</source>
        <translation>indicateurs inconnus 0x%1</translation>
    </message>
    <message>
        <source>chunk count %1 exceeds the data</source>
        <translation>le nombre de fragments %1 dépasse les données</translation>
    </message>
    <message>
        <source>unknown content kind %1</source>
        <translation>type de contenu %1 inconnu</translation>
    </message>
</context>
<context>
    <name>ToolChoice</name>
    <message>
        <source>expected &quot;auto&quot;, &quot;none&quot;, &quot;required&quot; or {&quot;name&quot;: &quot;&lt;tool&gt;&quot;}, not &quot;%1&quot;</source>
        <translation>attendu : &quot;auto&quot;, &quot;none&quot;, &quot;required&quot; ou {&quot;name&quot;: &quot;&lt;tool&gt;&quot;}, et non &quot;%1&quot;</translation>
    </message>
    <message>
        <source>expected &quot;auto&quot;, &quot;none&quot;, &quot;required&quot; or {&quot;name&quot;: &quot;&lt;tool&gt;&quot;}</source>
        <translation>attendu : &quot;auto&quot;, &quot;none&quot;, &quot;required&quot; ou {&quot;name&quot;: &quot;&lt;tool&gt;&quot;}</translation>
    </message>
    <message>
        <source>unknown field; a forced tool takes only &quot;name&quot;</source>
        <translation>champ inconnu ; un outil forcé n&apos;accepte que &quot;name&quot;</translation>
    </message>
    <message>
        <source>expected the name of an offered tool as a string</source>
        <translation>nom d&apos;un outil proposé attendu, sous forme de chaîne</translation>
    </message>
    <message>
        <source>the name is empty</source>
        <translation>le nom est vide</translation>
    </message>
</context>
<context>
    <name>Workspace</name>
    <message>
        <source>%1: a price cannot be negative</source>
        <translation>%1&#xa0;: un prix ne peut pas être négatif</translation>
    </message>
    <message>
        <source>%1: expected an object</source>
        <translation>%1&#xa0;: objet attendu</translation>
    </message>
    <message>
        <source>%1: API keys are never read from workspace files; name an environment variable with &quot;api_key_env&quot; or store the key in the keychain</source>
        <translation>%1&#xa0;: les clés API ne sont jamais lues dans les fichiers d&apos;espace de travail&#xa0;; nommez une variable d&apos;environnement avec &quot;api_key_env&quot; ou stockez la clé dans le trousseau</translation>
    </message>
    <message>
        <source>%1: unknown dialect &quot;%2&quot; (expected openai-chat, openai-responses, anthropic, gemini or ollama)</source>
        <translation>%1&#xa0;: dialecte &quot;%2&quot; inconnu (openai-chat, openai-responses, anthropic, gemini ou ollama attendu)</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is not an http(s) URL</source>
        <translation>%1&#xa0;: &quot;%2&quot; n&apos;est pas une URL http(s)</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is not a colour of the form #rrggbb</source>
        <translation>%1&#xa0;: &quot;%2&quot; n&apos;est pas une couleur de la forme #rrggbb</translation>
    </message>
    <message>
        <source>%1: temperature must be between 0 and 2</source>
        <translation>%1&#xa0;: la température doit être comprise entre 0 et 2</translation>
    </message>
    <message>
        <source>%1: a workspace must be a JSON object</source>
        <translation>%1&#xa0;: un espace de travail doit être un objet JSON</translation>
    </message>
    <message>
        <source>%1.id: duplicate provider id &quot;%2&quot;</source>
        <translation>%1.id : id de fournisseur en double &quot;%2&quot;</translation>
    </message>
    <message>
        <source>%1.id: duplicate target id &quot;%2&quot;</source>
        <translation>%1.id&#xa0;: identifiant de cible en double &quot;%2&quot;</translation>
    </message>
    <message>
        <source>%1.provider: no provider with id &quot;%2&quot;</source>
        <translation>%1.provider&#xa0;: aucun fournisseur avec l&apos;identifiant &quot;%2&quot;</translation>
    </message>
    <message>
        <source>Cannot open workspace %1: %2</source>
        <translation>Impossible d&apos;ouvrir l&apos;espace de travail %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1.id: a provider needs an id</source>
        <translation>%1.id: un fournisseur doit avoir un identifiant</translation>
    </message>
    <message>
        <source>%1.id: a target needs an id</source>
        <translation>%1.id: une cible doit avoir un identifiant</translation>
    </message>
    <message>
        <source>%1.model: a target needs a model</source>
        <translation>%1.model: une cible doit avoir un modèle</translation>
    </message>
    <message>
        <source>%1.params.max_tokens: must be between 1 and %2</source>
        <translation>%1.params.max_tokens: doit être compris entre 1 et %2</translation>
    </message>
    <message>
        <source>No target with id &quot;%1&quot;</source>
        <translation>Aucune cible avec l&apos;identifiant &quot;%1&quot;</translation>
    </message>
    <message>
        <source>%1: not a proxy URL (expected &quot;none&quot; or http://host:port)</source>
        <translation>%1 : pas une URL de proxy (attendu : &quot;none&quot; ou http://host:port)</translation>
    </message>
    <message>
        <source>%1: proxy credentials are secrets and are not read from workspace files; set them in https_proxy (http://user:password@host:port)</source>
        <translation>%1 : les identifiants du proxy sont des secrets et ne sont pas lus depuis les fichiers de l&apos;espace de travail ; définissez-les dans https_proxy (http://user:password@host:port)</translation>
    </message>
    <message>
        <source>%1.%2: expected a string, or {&quot;secret&quot;: &quot;NAME&quot;} naming an environment variable or keychain entry that holds the value</source>
        <translation>%1.%2 : une chaîne était attendue, ou {&quot;secret&quot;: &quot;NAME&quot;} désignant une variable d&apos;environnement ou une entrée du trousseau qui contient la valeur</translation>
    </message>
    <message>
        <source>Cannot save the workspace to %1: %2</source>
        <translation>Impossible d’enregistrer l’espace de travail dans %1 : %2</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is not a header name (letters, digits and !#$%&amp;&apos;*+-.^_`|~ only)</source>
        <translation>%1 : &quot;%2&quot; n&apos;est pas un nom d&apos;en-tête (lettres, chiffres et !#$%&amp;&apos;*+-.^_`|~ uniquement)</translation>
    </message>
    <message>
        <source>%1.%2: a header value cannot contain a line break</source>
        <translation>%1.%2 : une valeur d&apos;en-tête ne peut pas contenir de saut de ligne</translation>
    </message>
    <message>
        <source>%1.%2: name the keychain entry or environment variable that holds the value</source>
        <translation>%1.%2 : indiquez l&apos;entrée du trousseau ou la variable d&apos;environnement qui contient la valeur</translation>
    </message>
    <message>
        <source>%1.%2: is both a plain and a secret header; keep one</source>
        <translation>%1.%2 : est à la fois un en-tête simple et un en-tête secret ; n&apos;en gardez qu&apos;un</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>impossible de lire %1 : %2</translation>
    </message>
    <message>
        <source>%1 is larger than 1 MB; expected PEM certificates</source>
        <translation>%1 dépasse 1 MB ; certificats PEM attendus</translation>
    </message>
    <message>
        <source>%1 holds no PEM certificate</source>
        <translation>%1 ne contient aucun certificat PEM</translation>
    </message>
    <message>
        <source>%1: an empty entry</source>
        <translation>%1 : une entrée vide</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is one host, suffix, address or block (no spaces or commas)</source>
        <translation>%1 : &quot;%2&quot; doit être un seul hôte, suffixe, adresse ou bloc (sans espaces ni virgules)</translation>
    </message>
    <message>
        <source>%1: expected a string</source>
        <translation>%1 : chaîne attendue</translation>
    </message>
</context>
<context>
    <name>cli</name>
    <message>
        <source>%1: %2 provider(s), %3 target(s)</source>
        <translation>%1&#xa0;: %2 fournisseur(s), %3 cible(s)</translation>
    </message>
    <message>
        <source>Unknown command &quot;%1&quot;.</source>
        <translation>Commande &quot;%1&quot; inconnue.</translation>
    </message>
    <message>
        <source>Runs the Slopscope provider simulator: simulated OpenAI, Anthropic, Gemini and Ollama endpoints on one port. Every model it serves is simulated.</source>
        <translation>Lance le simulateur de fournisseurs Slopscope&#xa0;: points de terminaison OpenAI, Anthropic, Gemini et Ollama simulés sur un seul port. Tous les modèles qu&apos;il sert sont simulés.</translation>
    </message>
    <message>
        <source>TCP port (0 picks a free one).</source>
        <translation>Port TCP (0 en choisit un libre).</translation>
    </message>
    <message>
        <source>N</source>
        <translation>N</translation>
    </message>
    <message>
        <source>Personas file instead of the bundled lineup.</source>
        <translation>Fichier de personas à utiliser au lieu de la sélection intégrée.</translation>
    </message>
    <message>
        <source>FILE</source>
        <translation>FICHIER</translation>
    </message>
    <message>
        <source>Also recognise the cases of this suite file.</source>
        <translation>Reconnaître aussi les cas de ce fichier de suite.</translation>
    </message>
    <message>
        <source>Append one JSON line of ground truth per request.</source>
        <translation>Ajouter une ligne JSON de vérité terrain par requête.</translation>
    </message>
    <message>
        <source>Address to listen on (default 127.0.0.1; anything else is exposed).</source>
        <translation>Adresse d&apos;écoute (127.0.0.1 par défaut&#xa0;; toute autre adresse est exposée).</translation>
    </message>
    <message>
        <source>ADDR</source>
        <translation>ADRESSE</translation>
    </message>
    <message>
        <source>Switch off the personas&apos; random faults (x-sim-fault still works).</source>
        <translation>Désactiver les pannes aléatoires des personas (x-sim-fault fonctionne toujours).</translation>
    </message>
    <message>
        <source>--port: &quot;%1&quot; is not a port number.</source>
        <translation>--port&#xa0;: &quot;%1&quot; n&apos;est pas un numéro de port.</translation>
    </message>
    <message>
        <source>--listen: &quot;%1&quot; is not an IP address.</source>
        <translation>--listen&#xa0;: &quot;%1&quot; n&apos;est pas une adresse IP.</translation>
    </message>
    <message>
        <source>Warning: listening on %1, not on loopback: anyone who can reach this address can use the simulator.</source>
        <translation>Avertissement&#xa0;: écoute sur %1 et non sur l&apos;interface de bouclage&#xa0;; quiconque peut joindre cette adresse peut utiliser le simulateur.</translation>
    </message>
    <message>
        <source>Cannot listen on %1:%2: %3</source>
        <translation>Impossible d&apos;écouter sur %1:%2&#xa0;: %3</translation>
    </message>
    <message>
        <source>Slopscope simulator listening on http://%1:%2 (%3 simulated models)</source>
        <translation>Simulateur Slopscope à l&apos;écoute sur http://%1:%2 (%3 modèles simulés)</translation>
    </message>
    <message>
        <source>Simulator stopped.</source>
        <translation>Simulateur arrêté.</translation>
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
        <translation>Utilisation : slopscope-cli [--version] [--help] [--trace] &lt;command&gt; [options]
Commandes :
  check-workspace FILE   valide un fichier d&apos;espace de travail et liste ses cibles
  run --demo | --workspace FILE [--suite NAME|FILE] [--targets ID,ID] [--repeat K]
      [--concurrency N] [--variants] [--seed S] [--max-cost USD] [--retry-truncated] [--no-preconnect]
      [--fail-under quality=0.8] [--shard I/N] [--judge TARGET] [--db FILE | --no-db]
      [--jsonl FILE] [--summary FILE.json] [--report FILE.html|.pdf|.md]...
      [--chart FILE.png|.svg|.pdf]... [--csv FILE]
                         exécute une suite, l&apos;enregistre, affiche une ligne par cible
  resume RUN_ID [--db FILE] [--workspace FILE] [outputs]
                         n&apos;envoie que ce qui manque à une exécution interrompue
  report RUN_ID [--db FILE] [outputs]
                         écrit les rapports d&apos;une exécution enregistrée depuis la base
  runs [--db FILE]        liste les exécutions enregistrées : id, début, état, réponses, coût
  merge DB... --db FILE   fusionne des bases (fragments d&apos;une matrice CI) en une seule
  import promptfoo|csv|jsonl FILE --out SUITE.json
                         convertit une config promptfoo, un CSV ou un journal de chat en suite
  keys set NAME | keys remove NAME | keys status [--workspace FILE | --demo] [NAME...]
                         clés d&apos;API dans le trousseau du système (set lit la clé sur stdin)
  keys allow-host NAME HOST
                         autorise l&apos;envoi d&apos;une clé enregistrée à un autre hôte (demandé dans l&apos;app)
  sim [--port N] [--personas FILE] [--log FILE] [--listen ADDR]
                         lance le simulateur de fournisseurs (tous les modèles simulés)
--trace journalise chaque requête (identifiants affichés comme ***) et les décisions de
l&apos;ordonnanceur sur stderr ; QT_LOGGING_RULES=&quot;slopscope.net.debug=true&quot; fait de même pour une catégorie.
Codes de sortie de run : 0 ok, 1 un seuil --fail-under ou --max-cost a échoué, 2 usage ou
entrée incorrects, 3 l&apos;exécution n&apos;a pas pu aboutir. &apos;slopscope-cli run --help&apos; liste toutes les options.
</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Slopscope workbench</source>
        <translation>Atelier Slopscope</translation>
    </message>
    <message>
        <source>Open this workspace file (&quot;demo&quot; for the bundled demo).</source>
        <translation>Ouvrir ce fichier d&apos;espace de travail (&quot;demo&quot; pour la démo intégrée).</translation>
    </message>
    <message>
        <source>file</source>
        <translation>fichier</translation>
    </message>
    <message>
        <source>Open the main window, check it, and quit.</source>
        <translation>Ouvrir la fenêtre principale, la vérifier, puis quitter.</translation>
    </message>
    <message>
        <source>Save a PNG of the main window after it settles, then quit.</source>
        <translation>Enregistrer un PNG de la fenêtre principale une fois celle-ci stabilisée, puis quitter.</translation>
    </message>
    <message>
        <source>Start a run of the selected suite at once.</source>
        <translation>Lancer immédiatement une exécution de la suite sélectionnée.</translation>
    </message>
    <message>
        <source>Milliseconds to wait before the screenshot (default 1500).</source>
        <translation>Millisecondes à attendre avant la capture d&apos;écran (1500 par défaut).</translation>
    </message>
    <message>
        <source>ms</source>
        <translation>ms</translation>
    </message>
    <message>
        <source>page</source>
        <translation>vue</translation>
    </message>
    <message>
        <source>Record runs in this history database (default: the user&apos;s).</source>
        <translation>Enregistrer les exécutions dans cette base de données d&apos;historique (par défaut&#xa0;: celle de l&apos;utilisateur).</translation>
    </message>
    <message>
        <source>Do not record runs.</source>
        <translation>Ne pas enregistrer les exécutions.</translation>
    </message>
    <message>
        <source>Cannot open workspace</source>
        <translation>Impossible d&apos;ouvrir l&apos;espace de travail</translation>
    </message>
    <message>
        <source>Show this run of the history (its id) instead of an empty window.</source>
        <translation>Afficher cette exécution de l&apos;historique (son identifiant) au lieu d&apos;une fenêtre vide.</translation>
    </message>
    <message>
        <source>run-id</source>
        <translation>id-exécution</translation>
    </message>
    <message>
        <source>Load this routing policy file: its policies are replayed over each run and drawn on the quadrant.</source>
        <translation>Charger ce fichier de politiques de routage&#xa0;: ses politiques sont rejouées sur chaque exécution et tracées dans la vue quadrant.</translation>
    </message>
    <message>
        <source>Use this theme for this start only: system, light or dark.</source>
        <translation>Utiliser ce thème pour ce démarrage uniquement&#xa0;: system, light ou dark.</translation>
    </message>
    <message>
        <source>theme</source>
        <translation>thème</translation>
    </message>
    <message>
        <source>Slopscope is already running (pid %1); its window was brought to the front.</source>
        <translation>Slopscope est déjà en cours d&apos;exécution (pid %1)&#xa0;; sa fenêtre a été mise au premier plan.</translation>
    </message>
    <message>
        <source>Slopscope is already running (pid %1) with %2.</source>
        <translation>Slopscope est déjà en cours d&apos;exécution (pid %1) avec %2.</translation>
    </message>
    <message>
        <source>Send this prompt in Quick Compare to the checked targets; repeat it for a chat, each sent once the previous one is answered.</source>
        <translation>Envoyer ce prompt aux cibles cochées dans Comparaison rapide ; à répéter pour une conversation, chaque prompt étant envoyé une fois le précédent répondu.</translation>
    </message>
    <message>
        <source>text</source>
        <translation>texte</translation>
    </message>
    <message>
        <source>The history holds fewer than two runs.</source>
        <translation>L&apos;historique contient moins de deux exécutions.</translation>
    </message>
    <message>
        <source>Show a results page large: results (the matrix), leaderboard, diff or disagreements; routing opens Run ▸ Routing Policies; quadrant saves the screenshot as the chart export; settings, providers and appearance open Settings ▸ Preferences… on that page; suite brings the Suite panel to the front; quick opens View ▸ Quick Compare; drift opens File ▸ Drift…; compare compares the newest runs of the history (up to four); arena opens Run ▸ Blind Arena over the run on show (with --run, once it ends).</source>
        <translation>Affiche une page de résultats en grand : results (la matrice), leaderboard, diff ou disagreements ; routing ouvre Exécution ▸ Politiques de routage ; quadrant enregistre la capture comme export du graphique ; settings, providers et appearance ouvrent Paramètres ▸ Préférences… sur cette page ; suite met le panneau Suite au premier plan ; quick ouvre Affichage ▸ Comparaison rapide ; drift ouvre Fichier ▸ Dérive… ; compare compare les exécutions les plus récentes de l’historique (jusqu’à quatre) ; arena ouvre Exécution ▸ Arène à l’aveugle sur l’exécution affichée (avec --run, une fois terminée).</translation>
    </message>
    <message>
        <source>Unknown view %1: use results, leaderboard, diff, disagreements, routing, quadrant, suite, settings, providers, appearance, quick, drift, compare or arena.</source>
        <translation>Vue inconnue %1 : utilisez results, leaderboard, diff, disagreements, routing, quadrant, suite, settings, providers, appearance, quick, drift, compare ou arena.</translation>
    </message>
    <message>
        <source>Log each request (credentials shown as ***) and the scheduler&apos;s decisions to stderr.</source>
        <translation>Journaliser chaque requête (identifiants affichés comme ***) et les décisions de l&apos;ordonnanceur sur stderr.</translation>
    </message>
</context>
</TS>
