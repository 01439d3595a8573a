<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja">
<context>
    <name>BestPick</name>
    <message>
        <source>no answers to pick from</source>
        <translation>選択できる回答がありません</translation>
    </message>
    <message>
        <source>the judge&apos;s answer is empty</source>
        <translation>ジャッジの回答が空です</translation>
    </message>
    <message>
        <source>the judge&apos;s answer is too long (%1 characters)</source>
        <translation>ジャッジの回答が長すぎます (%1 文字)</translation>
    </message>
    <message>
        <source>no JSON verdict in the judge&apos;s answer (&quot;%1&quot;)</source>
        <translation>ジャッジの回答に JSON の判定がありません (&quot;%1&quot;)</translation>
    </message>
    <message>
        <source>the verdict names no best answer</source>
        <translation>判定に最良の回答が示されていません</translation>
    </message>
    <message>
        <source>the verdict&apos;s best is not a label (%1)</source>
        <translation>判定の best がラベルではありません (%1)</translation>
    </message>
    <message>
        <source>the verdict&apos;s best &quot;%1&quot; is not one of the labels shown (A to %2)</source>
        <translation>判定の best &quot;%1&quot; は提示したラベル (A〜%2) のいずれでもありません</translation>
    </message>
    <message>
        <source>the verdict&apos;s reason is not a string</source>
        <translation>判定の理由が文字列ではありません</translation>
    </message>
</context>
<context>
    <name>CellCodec</name>
    <message>
        <source>its chunk timeline: %1</source>
        <translation>チャンクのタイムライン: %1</translation>
    </message>
    <message>
        <source>its chain turns are not valid JSON</source>
        <translation>チェーンのターンが有効な JSON ではありません</translation>
    </message>
    <message>
        <source>its thoughts are not valid JSON</source>
        <translation>思考が有効な JSON ではありません</translation>
    </message>
</context>
<context>
    <name>ChainTranscript</name>
    <message>
        <source>Tool result (unknown tool)</source>
        <translation>ツール結果（不明なツール）</translation>
    </message>
    <message>
        <source>Tool result</source>
        <translation>ツール結果</translation>
    </message>
    <message>
        <source>Tool result (failure)</source>
        <translation>ツール結果（失敗）</translation>
    </message>
    <message>
        <source>Tool result (missing information)</source>
        <translation>ツール結果（情報不足）</translation>
    </message>
    <message>
        <source>Tool result (interrupted)</source>
        <translation>ツール結果（中断）</translation>
    </message>
    <message>
        <source>passed</source>
        <translation>合格</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>不合格</translation>
    </message>
    <message>
        <source>Turn %1</source>
        <translation>ターン %1</translation>
    </message>
    <message>
        <source>%1 · score %2%</source>
        <translation>%1 · スコア %2%</translation>
    </message>
    <message>
        <source>User</source>
        <translation>ユーザー</translation>
    </message>
    <message>
        <source>Tool call</source>
        <translation>ツール呼び出し</translation>
    </message>
    <message>
        <source>(the call was cancelled)</source>
        <translation>（呼び出しはキャンセルされました）</translation>
    </message>
    <message>
        <source>User (interjects)</source>
        <translation>ユーザー（割り込み）</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>the model kept calling tools past the round cap</source>
        <translation>モデルがラウンド上限を超えてツールを呼び出し続けました</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>アシスタント</translation>
    </message>
    <message>
        <source>Waiting for judge</source>
        <translation>ジャッジを待機中</translation>
    </message>
    <message>
        <source>Failed check</source>
        <translation>失敗したチェック</translation>
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
        <translation>%1/%2 完了、%3 使用、経過 %4、残り約 %5</translation>
    </message>
</context>
<context>
    <name>CodeSandbox</name>
    <message>
        <source>the interpreter must be a name or an absolute path, not &quot;%1&quot;</source>
        <translation>インタープリターは名前または絶対パスで指定してください（&quot;%1&quot; は不可）</translation>
    </message>
    <message>
        <source>the interpreter &quot;%1&quot; was not found</source>
        <translation>インタープリター &quot;%1&quot; が見つかりません</translation>
    </message>
    <message>
        <source>the interpreter %1 is outside /usr, where the sandbox cannot see it</source>
        <translation>インタープリター %1 は /usr の外にあり、サンドボックスから参照できません</translation>
    </message>
    <message>
        <source>a code-tests check needs tests (the assertion&apos;s value)</source>
        <translation>code-tests チェックにはテスト（アサーションの値）が必要です</translation>
    </message>
    <message>
        <source>code-tests need bubblewrap (Debian: apt install bubblewrap) or an explicit opt-in to run generated code unsandboxed</source>
        <translation>code-tests には bubblewrap（Debian: apt install bubblewrap）、または生成コードをサンドボックスなしで実行する明示的な許可が必要です</translation>
    </message>
    <message>
        <source>could not write the code to a temporary directory</source>
        <translation>コードを一時ディレクトリに書き込めませんでした</translation>
    </message>
    <message>
        <source>could not start %1: %2</source>
        <translation>%1 を起動できませんでした: %2</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>キャンセルされました</translation>
    </message>
    <message>
        <source> (unsandboxed)</source>
        <translation> (サンドボックスなし)</translation>
    </message>
    <message>
        <source>timed out after %1 s%2</source>
        <translation>%1 s 後にタイムアウトしました%2</translation>
    </message>
    <message>
        <source>the sandbox did not start%1</source>
        <translation>サンドボックスが起動しませんでした%1</translation>
    </message>
    <message>
        <source>the tests passed and report a score of %1%2</source>
        <translation>テストに合格し、スコア %1 が報告されました%2</translation>
    </message>
    <message>
        <source>the tests passed%1</source>
        <translation>テストに合格しました%1</translation>
    </message>
    <message>
        <source>the tests crashed</source>
        <translation>テストがクラッシュしました</translation>
    </message>
    <message>
        <source>the tests were killed by signal %1</source>
        <translation>テストはシグナル %1 で強制終了されました</translation>
    </message>
    <message>
        <source>the tests failed (exit code %1)</source>
        <translation>テストが失敗しました（終了コード %1）</translation>
    </message>
</context>
<context>
    <name>CoreDumps</name>
    <message>
        <source>Could not turn off core dumps: %1</source>
        <translation>コアダンプを無効にできませんでした: %1</translation>
    </message>
    <message>
        <source>Could not make the process non-dumpable: %1</source>
        <translation>プロセスをダンプ不可にできませんでした: %1</translation>
    </message>
</context>
<context>
    <name>CostCalculator</name>
    <message>
        <source>usage not reported</source>
        <translation>使用量が報告されていません</translation>
    </message>
    <message>
        <source>output token count not reported</source>
        <translation>出力トークン数が報告されていません</translation>
    </message>
    <message>
        <source>input token count not reported</source>
        <translation>入力トークン数が報告されていません</translation>
    </message>
    <message>
        <source>inconsistent usage: negative token count</source>
        <translation>使用量が矛盾しています: トークン数が負です</translation>
    </message>
    <message>
        <source>inconsistent usage: cached and cache-write tokens exceed input tokens</source>
        <translation>使用量が矛盾しています: キャッシュ済みトークンとキャッシュ書き込みトークンが入力トークンを超えています</translation>
    </message>
    <message>
        <source>inconsistent usage: reasoning tokens exceed output tokens</source>
        <translation>使用量が矛盾しています: 推論トークンが出力トークンを超えています</translation>
    </message>
    <message>
        <source>input tokens</source>
        <translation>入力トークン</translation>
    </message>
    <message>
        <source>cached input tokens</source>
        <translation>キャッシュ済み入力トークン</translation>
    </message>
    <message>
        <source>cache-write tokens</source>
        <translation>キャッシュ書き込みトークン</translation>
    </message>
    <message>
        <source>output tokens</source>
        <translation>出力トークン</translation>
    </message>
    <message>
        <source>no price for %1</source>
        <translation>%1 の価格がありません</translation>
    </message>
</context>
<context>
    <name>CsvImporter</name>
    <message>
        <source>unexpected character after a closing quote (a quote inside a quoted field is written as two quotes)</source>
        <translation>閉じ引用符の後に予期しない文字があります (引用符で囲んだフィールド内の引用符は 2 つ重ねて書きます)</translation>
    </message>
    <message>
        <source>a quote inside an unquoted field (quote the whole field and double the quote)</source>
        <translation>引用符で囲まれていないフィールド内に引用符があります (フィールド全体を引用符で囲み、その引用符を 2 つ重ねてください)</translation>
    </message>
    <message>
        <source>the quoted field opened here is never closed</source>
        <translation>ここで始まる引用符付きフィールドが閉じられていません</translation>
    </message>
    <message>
        <source>%1: the file is empty (a header row with a &quot;prompt&quot; column is required)</source>
        <translation>%1: ファイルが空です (&quot;prompt&quot; 列を含むヘッダー行が必要です)</translation>
    </message>
    <message>
        <source>column %1 has no name</source>
        <translation>列 %1 に名前がありません</translation>
    </message>
    <message>
        <source>the column &quot;%1&quot; appears twice</source>
        <translation>列 &quot;%1&quot; が 2 回現れます</translation>
    </message>
    <message>
        <source>no &quot;prompt&quot; column (the header has: %1)</source>
        <translation>&quot;prompt&quot; 列がありません (ヘッダーの列: %1)</translation>
    </message>
    <message>
        <source>Imported from %1</source>
        <translation>%1 からインポート</translation>
    </message>
    <message>
        <source>%1 field(s), but the header has %2</source>
        <translation>フィールドが %1 個ありますが、ヘッダーは %2 個です</translation>
    </message>
    <message>
        <source>id: the id is empty</source>
        <translation>id: ID が空です</translation>
    </message>
    <message>
        <source>id: duplicate case id &quot;%1&quot;</source>
        <translation>id: ケース ID &quot;%1&quot; が重複しています</translation>
    </message>
    <message>
        <source>prompt: the prompt is empty</source>
        <translation>prompt: プロンプトが空です</translation>
    </message>
    <message>
        <source>prompt: unknown variable {{%1}} (no column of that name)</source>
        <translation>prompt: 不明な変数 {{%1}} (その名前の列がありません)</translation>
    </message>
    <message>
        <source>the file has a header but no cases</source>
        <translation>ファイルにヘッダーはありますがケースがありません</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>%1 を開けません: %2</translation>
    </message>
    <message>
        <source>%1: the file is too large (the limit is %2 MiB)</source>
        <translation>%1: ファイルが大きすぎます (上限は %2 MiB)</translation>
    </message>
</context>
<context>
    <name>Disagreement</name>
    <message>
        <source>Number</source>
        <translation>数値</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日付</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名前</translation>
    </message>
</context>
<context>
    <name>EmbeddedSimulator</name>
    <message>
        <source>The simulator cannot listen on 127.0.0.1: %1</source>
        <translation>シミュレーターが 127.0.0.1 で待ち受けできません: %1</translation>
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
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 分</translation>
    </message>
    <message>
        <source>Cannot resolve %1</source>
        <translation>%1 の名前を解決できません</translation>
    </message>
    <message>
        <source>Connection refused by %1 — is the server running?</source>
        <translation>%1 に接続を拒否されました — サーバーは動作していますか?</translation>
    </message>
    <message>
        <source>%1 closed the connection</source>
        <translation>%1 が接続を閉じました</translation>
    </message>
    <message>
        <source>TLS handshake with %1 failed</source>
        <translation>%1 との TLS ハンドシェイクに失敗しました</translation>
    </message>
    <message>
        <source>TLS certificate not trusted: %1</source>
        <translation>TLS 証明書が信頼されていません: %1</translation>
    </message>
    <message>
        <source>The network is not available</source>
        <translation>ネットワークが利用できません</translation>
    </message>
    <message>
        <source>The proxy refused the connection to %1</source>
        <translation>プロキシが %1 への接続を拒否しました</translation>
    </message>
    <message>
        <source>The proxy closed the connection to %1</source>
        <translation>プロキシが %1 への接続を閉じました</translation>
    </message>
    <message>
        <source>Cannot resolve the proxy for %1</source>
        <translation>%1 用のプロキシの名前を解決できません</translation>
    </message>
    <message>
        <source>The proxy for %1 did not answer in time</source>
        <translation>%1 用のプロキシが時間内に応答しませんでした</translation>
    </message>
    <message>
        <source>The proxy for %1 requires authentication</source>
        <translation>%1 用のプロキシには認証が必要です</translation>
    </message>
    <message>
        <source>Malformed HTTP response from %1</source>
        <translation>%1 からの HTTP 応答が不正です</translation>
    </message>
    <message>
        <source>timed out talking to %1</source>
        <translation>%1 との通信がタイムアウトしました</translation>
    </message>
    <message>
        <source>Network error talking to %1 (code %2)</source>
        <translation>%1 との通信でネットワークエラーが発生しました (コード %2)</translation>
    </message>
    <message>
        <source>Network error talking to %1: %2</source>
        <translation>%1 との通信でネットワークエラーが発生しました: %2</translation>
    </message>
    <message>
        <source>timed out: could not connect to %1 within %2</source>
        <translation>タイムアウト: %2 以内に %1 に接続できませんでした</translation>
    </message>
    <message>
        <source>timed out: %1 sent no response within %2</source>
        <translation>タイムアウト: %1 から %2 以内に応答がありませんでした</translation>
    </message>
    <message>
        <source>timed out: no content within %1 of sending the request</source>
        <translation>タイムアウト: リクエスト送信後 %1 以内にコンテンツが届きませんでした</translation>
    </message>
    <message>
        <source>timed out: no data for %1</source>
        <translation>タイムアウト: %1 の間データが届きませんでした</translation>
    </message>
    <message>
        <source>timed out: no new content for %1 (only keep-alives)</source>
        <translation>タイムアウト: %1 の間新しいコンテンツが届きませんでした (キープアライブのみ)</translation>
    </message>
    <message>
        <source>timed out (deadline): no complete answer after %1</source>
        <translation>タイムアウト (期限): %1 経過しても完全な回答がありません</translation>
    </message>
    <message>
        <source>timed out after %1</source>
        <translation>%1 後にタイムアウトしました</translation>
    </message>
    <message>
        <source>Connection refused by %1 — is Ollama running? Start it with “ollama serve”.</source>
        <translation>%1 に接続を拒否されました — Ollama は実行中ですか？ “ollama serve” で起動してください。</translation>
    </message>
    <message>
        <source>Connection refused by %1 — is %2 running?</source>
        <translation>%1 に接続を拒否されました — %2 は実行中ですか？</translation>
    </message>
    <message>
        <source>blocked by the provider&apos;s safety filter (%1)</source>
        <translation>プロバイダーのセーフティフィルターによりブロックされました (%1)</translation>
    </message>
    <message>
        <source>no content type</source>
        <translation>コンテンツタイプがありません</translation>
    </message>
    <message>
        <source>Unexpected response (%1) from %2</source>
        <translation>%2 からの予期しない応答 (%1)</translation>
    </message>
    <message>
        <source>Unexpected response (%1) from %2: %3</source>
        <translation>%2 からの予期しない応答 (%1): %3</translation>
    </message>
    <message>
        <source>The prompt is longer than the model&apos;s context window; shorten it or pick a model with a longer context (%1)</source>
        <translation>プロンプトがモデルのコンテキストウィンドウより長いです。短くするか、より長いコンテキストのモデルを選んでください（%1）</translation>
    </message>
</context>
<context>
    <name>Grader</name>
    <message>
        <source>the assertion&apos;s value is not a JSON schema</source>
        <translation>アサーションの値が JSON スキーマではありません</translation>
    </message>
    <message>
        <source> (not checked: %1)</source>
        <translation> (未検査: %1)</translation>
    </message>
    <message>
        <source>%1 matches the schema%2</source>
        <translation>%1 はスキーマに一致します%2</translation>
    </message>
    <message>
        <source>%1 does not match the schema: %2</source>
        <translation>%1 はスキーマに一致しません: %2</translation>
    </message>
    <message>
        <source> (read from the answer text)</source>
        <translation> (回答テキストから読み取り)</translation>
    </message>
    <message>
        <source>no tool call in the answer</source>
        <translation>回答にツール呼び出しがありません</translation>
    </message>
    <message>
        <source>the assertion&apos;s value lists no tool definitions</source>
        <translation>アサーションの値にツール定義がありません</translation>
    </message>
    <message>
        <source>a tool call has no name%1</source>
        <translation>ツール呼び出しに名前がありません%1</translation>
    </message>
    <message>
        <source>the arguments of %1 are not a JSON object%2</source>
        <translation>%1 の引数が JSON オブジェクトではありません%2</translation>
    </message>
    <message>
        <source>%1 is not one of the tools offered (%2)</source>
        <translation>%1 は提供されたツール (%2) のいずれでもありません</translation>
    </message>
    <message>
        <source>the arguments of %1 do not match its parameters: %2</source>
        <translation>%1 の引数がパラメーターに一致しません: %2</translation>
    </message>
    <message>
        <source>the assertion names no tool call to expect</source>
        <translation>アサーションに期待するツール呼び出しが指定されていません</translation>
    </message>
    <message>
        <source>expected a tool name or {&quot;name&quot;, &quot;arguments&quot;} in the assertion&apos;s value</source>
        <translation>アサーションの値にはツール名または {&quot;name&quot;, &quot;arguments&quot;} が必要です</translation>
    </message>
    <message>
        <source>%1 was called with other arguments than %2</source>
        <translation>%1 は %2 とは異なる引数で呼び出されました</translation>
    </message>
    <message>
        <source>no call of %1</source>
        <translation>%1 の呼び出しがありません</translation>
    </message>
    <message>
        <source>%1 of %2 expected tool call(s) made</source>
        <translation>期待したツール呼び出し %2 件中 %1 件が行われました</translation>
    </message>
    <message>
        <source>%1 of %2 expected tool call(s) made; %3</source>
        <translation>期待したツール呼び出し %2 件中 %1 件が行われました。%3</translation>
    </message>
    <message>
        <source>expected JSON equal to %1</source>
        <translation>%1 と等しい JSON が必要です</translation>
    </message>
    <message>
        <source>expected exactly &quot;%1&quot;</source>
        <translation>&quot;%1&quot; と完全に一致する必要があります</translation>
    </message>
    <message>
        <source>expected to contain &quot;%1&quot;</source>
        <translation>&quot;%1&quot; を含む必要があります</translation>
    </message>
    <message>
        <source>expected to contain &quot;%1&quot; (any case)</source>
        <translation>&quot;%1&quot; を含む必要があります (大文字小文字を区別しない)</translation>
    </message>
    <message>
        <source>expected not to contain &quot;%1&quot;</source>
        <translation>&quot;%1&quot; を含まない必要があります</translation>
    </message>
    <message>
        <source>expected to start with &quot;%1&quot;</source>
        <translation>&quot;%1&quot; で始まる必要があります</translation>
    </message>
    <message>
        <source>expected to end with &quot;%1&quot;</source>
        <translation>&quot;%1&quot; で終わる必要があります</translation>
    </message>
    <message>
        <source>%1 of %2 expected phrases found</source>
        <translation>期待したフレーズ %2 件中 %1 件が見つかりました</translation>
    </message>
    <message>
        <source>invalid regular expression: %1</source>
        <translation>無効な正規表現: %1</translation>
    </message>
    <message>
        <source>expected to match /%1/</source>
        <translation>/%1/ に一致する必要があります</translation>
    </message>
    <message>
        <source>expected the whole answer to be JSON</source>
        <translation>回答全体が JSON である必要があります</translation>
    </message>
    <message>
        <source>the answer is JSON</source>
        <translation>回答は JSON です</translation>
    </message>
    <message>
        <source>the answer</source>
        <translation>回答</translation>
    </message>
    <message>
        <source>expected a JSON value in the answer</source>
        <translation>回答に JSON 値が必要です</translation>
    </message>
    <message>
        <source>the answer contains JSON</source>
        <translation>回答に JSON が含まれています</translation>
    </message>
    <message>
        <source>the JSON in the answer</source>
        <translation>回答内の JSON</translation>
    </message>
    <message>
        <source>edit distance at least %1 (at most %2)</source>
        <translation>編集距離が %1 以上です (上限 %2)</translation>
    </message>
    <message>
        <source>edit distance %1 (at most %2)</source>
        <translation>編集距離 %1 (上限 %2)</translation>
    </message>
    <message>
        <source>%1 words (%2 to %3)</source>
        <translation>%1 語 (%2〜%3)</translation>
    </message>
    <message>
        <source>the assertion gives no word count (a number or {&quot;min&quot;, &quot;max&quot;})</source>
        <translation>アサーションに語数が指定されていません (数値または {&quot;min&quot;, &quot;max&quot;})</translation>
    </message>
    <message>
        <source>%1 words (expected %2)</source>
        <translation>%1 語 (期待値 %2)</translation>
    </message>
    <message>
        <source>the %1 assertion needs a threshold</source>
        <translation>%1 アサーションにはしきい値が必要です</translation>
    </message>
    <message>
        <source>latency was not measured</source>
        <translation>レイテンシは測定されていません</translation>
    </message>
    <message>
        <source>cost is unknown</source>
        <translation>コストが不明です</translation>
    </message>
    <message>
        <source>%1 ms (at most %2 ms)</source>
        <translation>%1 ms (上限 %2 ms)</translation>
    </message>
    <message>
        <source>$%1 (at most $%2)</source>
        <translation>$%1 (上限 $%2)</translation>
    </message>
    <message>
        <source>the assertion gives no number to compare with</source>
        <translation>アサーションに比較する数値が指定されていません</translation>
    </message>
    <message>
        <source>no number in the answer (expected %1)</source>
        <translation>回答に数値がありません (期待値 %1)</translation>
    </message>
    <message>
        <source>found %1, expected %2 ± %3</source>
        <translation>%1 が見つかりました。期待値は %2 ± %3 です</translation>
    </message>
    <message>
        <source>unknown grader &quot;%1&quot;: this check cannot be graded</source>
        <translation>不明な採点器 &quot;%1&quot;: このチェックは採点できません</translation>
    </message>
    <message>
        <source>waiting for a judge</source>
        <translation>ジャッジ待ち</translation>
    </message>
    <message>
        <source>not: %1</source>
        <translation>否定: %1</translation>
    </message>
    <message>
        <source>waiting for the code tests</source>
        <translation>コードテストを待機中</translation>
    </message>
    <message>
        <source>no code block in the answer</source>
        <translation>回答にコードブロックがありません</translation>
    </message>
</context>
<context>
    <name>HistoryCommands</name>
    <message>
        <source>Send the cells an interrupted or cancelled run is missing, into that run.</source>
        <translation>中断またはキャンセルされた実行に不足しているセルを送信し、その実行に追加します。</translation>
    </message>
    <message>
        <source>Workspace with the run&apos;s providers (keys are never stored).</source>
        <translation>実行のプロバイダーを含むワークスペース (キーは保存されません)。</translation>
    </message>
    <message>
        <source>file</source>
        <translation>ファイル</translation>
    </message>
    <message>
        <source>The run used the demo workspace.</source>
        <translation>この実行ではデモワークスペースを使用しました。</translation>
    </message>
    <message>
        <source>As for run. May be repeated.</source>
        <translation>run と同じです。複数回指定できます。</translation>
    </message>
    <message>
        <source>gate</source>
        <translation>ゲート</translation>
    </message>
    <message>
        <source>Give the id of the run to resume (slopscope-cli resume RUN_ID).</source>
        <translation>再開する実行の ID を指定してください (slopscope-cli resume RUN_ID)。</translation>
    </message>
    <message>
        <source>resume continues a run of the history: it needs a database, not --no-db.</source>
        <translation>resume は履歴内の実行を続行するため、データベースが必要です (--no-db は使えません)。</translation>
    </message>
    <message>
        <source>Run %1 completed; there is nothing to resume.</source>
        <translation>実行 %1 は完了しています。再開するものはありません。</translation>
    </message>
    <message>
        <source>Run %1 used real providers: give the workspace that defines them (--workspace FILE).</source>
        <translation>実行 %1 は実際のプロバイダーを使用しました。それらを定義しているワークスペースを指定してください (--workspace FILE)。</translation>
    </message>
    <message>
        <source>Write a recorded run&apos;s reports again, from the database alone.</source>
        <translation>記録済みの実行のレポートを、データベースだけから再び書き出します。</translation>
    </message>
    <message>
        <source>History database (default: the user&apos;s).</source>
        <translation>履歴データベース (既定: ユーザーのもの)。</translation>
    </message>
    <message>
        <source>Give the id of the run to report (slopscope-cli report RUN_ID).</source>
        <translation>レポートする実行の ID を指定してください (slopscope-cli report RUN_ID)。</translation>
    </message>
    <message>
        <source>Nothing to write: give --report, --chart, --summary, --csv or --jsonl.</source>
        <translation>書き出すものがありません: --report、--chart、--summary、--csv、--jsonl のいずれかを指定してください。</translation>
    </message>
    <message>
        <source>Add every run of the given databases to one database.</source>
        <translation>指定したデータベースのすべての実行を 1 つのデータベースに追加します。</translation>
    </message>
    <message>
        <source>The database to merge into (created if missing).</source>
        <translation>マージ先のデータベース (存在しない場合は作成されます)。</translation>
    </message>
    <message>
        <source>Usage: slopscope-cli merge SOURCE.sqlite... --db TARGET.sqlite</source>
        <translation>使い方: slopscope-cli merge SOURCE.sqlite... --db TARGET.sqlite</translation>
    </message>
    <message>
        <source>Cannot create a temporary folder: %1</source>
        <translation>一時フォルダーを作成できません: %1</translation>
    </message>
    <message>
        <source>%1: run %2 skipped: %3</source>
        <translation>%1: 実行 %2 をスキップしました: %3</translation>
    </message>
    <message>
        <source>Merged %1 run(s) into %2; %3 skipped.</source>
        <translation>%1 件の実行を %2 にマージしました。%3 件をスキップしました。</translation>
    </message>
    <message>
        <source>Convert a promptfoo configuration, a CSV or a JSONL chat log into a suite.</source>
        <translation>promptfoo の設定、CSV、JSONL のチャットログをスイートに変換します。</translation>
    </message>
    <message>
        <source>The suite file to write.</source>
        <translation>書き出すスイートファイル。</translation>
    </message>
    <message>
        <source>suite.json</source>
        <translation>スイート.json</translation>
    </message>
    <message>
        <source>jsonl: keep N conversations.</source>
        <translation>jsonl: N 件の会話を残します。</translation>
    </message>
    <message>
        <source>n</source>
        <translation>n</translation>
    </message>
    <message>
        <source>jsonl: seed of the sample and shuffle.</source>
        <translation>jsonl: サンプリングとシャッフルのシード。</translation>
    </message>
    <message>
        <source>s</source>
        <translation>s</translation>
    </message>
    <message>
        <source>jsonl: order the cases by the seed.</source>
        <translation>jsonl: シードに基づいてケースを並べ替えます。</translation>
    </message>
    <message>
        <source>jsonl: keep e-mail addresses, phone numbers and key-like strings.</source>
        <translation>jsonl: メールアドレス、電話番号、キーらしき文字列を残します。</translation>
    </message>
    <message>
        <source>Usage: slopscope-cli import promptfoo|csv|jsonl FILE --out SUITE.json</source>
        <translation>使い方: slopscope-cli import promptfoo|csv|jsonl FILE --out SUITE.json</translation>
    </message>
    <message>
        <source>provider %1 → %2%3</source>
        <translation>プロバイダー %1 → %2%3</translation>
    </message>
    <message>
        <source>not mapped</source>
        <translation>変換なし</translation>
    </message>
    <message>
        <source>--sample takes a whole number of at least 1.</source>
        <translation>--sample には 1 以上の整数を指定してください。</translation>
    </message>
    <message>
        <source>--seed takes a whole number.</source>
        <translation>--seed には整数を指定してください。</translation>
    </message>
    <message>
        <source>%1 conversation(s) read, %2 kept</source>
        <translation>%1 件の会話を読み込み、%2 件を残しました</translation>
    </message>
    <message>
        <source>Unknown import format &quot;%1&quot;: promptfoo, csv or jsonl.</source>
        <translation>不明なインポート形式 &quot;%1&quot;: promptfoo、csv、jsonl のいずれかを指定してください。</translation>
    </message>
    <message>
        <source>The imported suite does not load back: %1</source>
        <translation>インポートしたスイートを読み戻せません: %1</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 を書き込めません: %2</translation>
    </message>
    <message>
        <source>%1 case(s) written to %2</source>
        <translation>%1 件のケースを %2 に書き出しました</translation>
    </message>
    <message>
        <source>List the runs of the history, newest first.</source>
        <translation>履歴の実行を新しい順に一覧表示します。</translation>
    </message>
    <message>
        <source>The people&apos;s ratings of this run could not be read, so the report has no judge–human agreement: %1</source>
        <translation>この実行の人による評価を読み込めなかったため、レポートにジャッジと人の一致度は含まれません: %1</translation>
    </message>
</context>
<context>
    <name>HistoryStore</name>
    <message>
        <source>%1 is not an SQLite database (its header is wrong).</source>
        <translation>%1 は SQLite データベースではありません (ヘッダーが不正です)。</translation>
    </message>
    <message>
        <source>Cannot move %1 aside to %2.</source>
        <translation>%1 を %2 に退避できません。</translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1 (%2): %3</translation>
    </message>
    <message>
        <source>Cannot create the folder %1 for the history database.</source>
        <translation>履歴データベース用のフォルダー %1 を作成できません。</translation>
    </message>
    <message>
        <source>The folder %1 is read-only, so the history database cannot be written there. Choose another data folder or make this one writable.</source>
        <translation>フォルダー %1 は読み取り専用のため、履歴データベースを書き込めません。別のデータフォルダーを選ぶか、このフォルダーを書き込み可能にしてください。</translation>
    </message>
    <message>
        <source>The history database %1 is read-only.</source>
        <translation>履歴データベース %1 は読み取り専用です。</translation>
    </message>
    <message>
        <source>Cannot open the history database %1 for writing: %2</source>
        <translation>履歴データベース %1 を書き込み用に開けません: %2</translation>
    </message>
    <message>
        <source>The history database %1 is damaged: %2</source>
        <translation>履歴データベース %1 が破損しています: %2</translation>
    </message>
    <message>
        <source>The history database %1 is locked by another program and did not become free within %2 s.</source>
        <translation>履歴データベース %1 は別のプログラムにロックされており、%2 秒以内に解放されませんでした。</translation>
    </message>
    <message>
        <source>Cannot open the history database %1: %2</source>
        <translation>履歴データベース %1 を開けません: %2</translation>
    </message>
    <message>
        <source>Cannot prepare the history database</source>
        <translation>履歴データベースを準備できません</translation>
    </message>
    <message>
        <source>There is no history database at %1.</source>
        <translation>%1 に履歴データベースがありません。</translation>
    </message>
    <message>
        <source>Cannot read the history</source>
        <translation>履歴を読み込めません</translation>
    </message>
    <message>
        <source>There is no run %1 in the history.</source>
        <translation>履歴に実行 %1 はありません。</translation>
    </message>
    <message>
        <source>Cannot delete the run</source>
        <translation>実行を削除できません</translation>
    </message>
    <message>
        <source>The backup %1 is not a sound database.</source>
        <translation>バックアップ %1 は正常なデータベースではありません。</translation>
    </message>
    <message>
        <source>Cannot copy the backup %1 to %2.</source>
        <translation>バックアップ %1 を %2 にコピーできません。</translation>
    </message>
    <message>
        <source>Cannot check the history</source>
        <translation>履歴を検査できません</translation>
    </message>
    <message>
        <source>search index: %1</source>
        <translation>検索インデックス: %1</translation>
    </message>
    <message>
        <source>Cannot list the runs</source>
        <translation>実行の一覧を取得できません</translation>
    </message>
    <message>
        <source>Cannot load the run</source>
        <translation>実行を読み込めません</translation>
    </message>
    <message>
        <source>Cannot search the history</source>
        <translation>履歴を検索できません</translation>
    </message>
    <message>
        <source>Cannot read the drift of %1</source>
        <translation>%1 のドリフトを読み込めません</translation>
    </message>
    <message>
        <source>Cannot read the run</source>
        <translation>実行を読み込めません</translation>
    </message>
    <message>
        <source>Cannot read the ratings</source>
        <translation>評価を読み込めません</translation>
    </message>
    <message>
        <source>%1 already exists; choose another name.</source>
        <translation>%1 は既に存在します。別の名前を選んでください。</translation>
    </message>
    <message>
        <source>Cannot create %1: %2</source>
        <translation>%1 を作成できません: %2</translation>
    </message>
    <message>
        <source>Cannot export the run to %1: %2</source>
        <translation>実行を %1 にエクスポートできません: %2</translation>
    </message>
    <message>
        <source>The history is open read-only.</source>
        <translation>履歴は読み取り専用で開かれています。</translation>
    </message>
    <message>
        <source>%1 is not a Slopscope history file: %2</source>
        <translation>%1 は Slopscope の履歴ファイルではありません: %2</translation>
    </message>
    <message>
        <source>%1 was exported by a newer version of Slopscope; update Slopscope to import it.</source>
        <translation>%1 は新しいバージョンの Slopscope でエクスポートされています。インポートするには Slopscope を更新してください。</translation>
    </message>
    <message>
        <source>%1 is not a Slopscope history file.</source>
        <translation>%1 は Slopscope の履歴ファイルではありません。</translation>
    </message>
    <message>
        <source>Cannot read %1.</source>
        <translation>%1 を読み込めません。</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>%1 を読み込めません: %2</translation>
    </message>
    <message>
        <source>The run %1 is already in the history.</source>
        <translation>実行 %1 は既に履歴にあります。</translation>
    </message>
    <message>
        <source>Cannot import %1: %2</source>
        <translation>%1 をインポートできません: %2</translation>
    </message>
    <message>
        <source>The history database %1 was damaged (%2). It was moved to %3 and a new, empty history was started.</source>
        <translation>履歴データベース %1 が破損していました（%2）。%3 に移動し、新しい空の履歴を開始しました。</translation>
    </message>
    <message>
        <source>There is no backup to restore.</source>
        <translation>復元できるバックアップはありません。</translation>
    </message>
    <message>
        <source>The latest backup, from %1, is %2.</source>
        <translation>最新のバックアップ（%1）は %2 です。</translation>
    </message>
    <message>
        <source>A write-ahead log beside the history database %1 was written by another history; it was moved to %2 and not applied. The history itself is unchanged.</source>
        <translation>履歴データベース %1 の横にある先行書き込みログ (WAL) は別の履歴によって書き込まれたものでした。%2 に移動し、適用していません。履歴自体は変更されていません。</translation>
    </message>
    <message>
        <source>Cannot read the arena votes</source>
        <translation>アリーナの投票を読み込めません</translation>
    </message>
    <message>
        <source>Cannot read the cell</source>
        <translation>セルを読み取れません</translation>
    </message>
    <message>
        <source>The run has no cell %1.</source>
        <translation>この実行にはセル %1 がありません。</translation>
    </message>
    <message>
        <source>The recorded detail of cell %1 is damaged: %2.</source>
        <translation>セル %1 の記録済みの詳細が破損しています: %2。</translation>
    </message>
</context>
<context>
    <name>HtmlReport</name>
    <message>
        <source>Leaderboard</source>
        <translation>リーダーボード</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>ターゲット</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>品質</translation>
    </message>
    <message>
        <source>Brittleness</source>
        <translation>脆さ</translation>
    </message>
    <message>
        <source>$ per 1k cases</source>
        <translation>1k ケースあたりの $</translation>
    </message>
    <message>
        <source>Total cost</source>
        <translation>総コスト</translation>
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
        <translation>デコード tok/s p50</translation>
    </message>
    <message>
        <source>Latency p50</source>
        <translation>レイテンシ p50</translation>
    </message>
    <message>
        <source>Latency p95</source>
        <translation>レイテンシ p95</translation>
    </message>
    <message>
        <source>Error rate</source>
        <translation>エラー率</translation>
    </message>
    <message>
        <source>Answers ok</source>
        <translation>正常な回答</translation>
    </message>
    <message>
        <source>not measured</source>
        <translation>未測定</translation>
    </message>
    <message>
        <source>%1 of %2 passed</source>
        <translation>%2 件中 %1 件合格</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>プロンプト</translation>
    </message>
    <message>
        <source>Rewording %1 (%2)</source>
        <translation>言い換え %1 (%2)</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>参照回答</translation>
    </message>
    <message>
        <source>the reference</source>
        <translation>参照回答</translation>
    </message>
    <message>
        <source>score %1</source>
        <translation>スコア %1</translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation>推論</translation>
    </message>
    <message>
        <source>Word diff against %1:</source>
        <translation>%1 との単語差分:</translation>
    </message>
    <message>
        <source>(too long to diff)</source>
        <translation>(長すぎて差分を取れません)</translation>
    </message>
    <message>
        <source>Methodology</source>
        <translation>方法論</translation>
    </message>
    <message>
        <source>Definitions</source>
        <translation>定義</translation>
    </message>
    <message>
        <source>Run conditions</source>
        <translation>実行条件</translation>
    </message>
    <message>
        <source>Prices</source>
        <translation>価格</translation>
    </message>
    <message>
        <source>No catalogue price was overridden by the workspace.</source>
        <translation>ワークスペースで上書きされたカタログ価格はありません。</translation>
    </message>
    <message>
        <source>Prices the workspace set over the catalogue&apos;s:</source>
        <translation>ワークスペースがカタログの価格を上書きした価格:</translation>
    </message>
    <message>
        <source>Run %1 · started %2 · ended %3 · Slopscope %4</source>
        <translation>実行 %1 · 開始 %2 · 終了 %3 · Slopscope %4</translation>
    </message>
    <message>
        <source>Price and quality</source>
        <translation>価格と品質</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>ケース</translation>
    </message>
    <message>
        <source>Each target&apos;s answer to the canonical wording (first repeat), with a word diff; every sample is in the CSV and JSONL exports.</source>
        <translation>各ターゲットの正規の文言への回答 (最初の繰り返し) を単語差分付きで示します。すべてのサンプルは CSV および JSONL エクスポートに含まれます。</translation>
    </message>
    <message numerus="yes">
        <source>Chain: %n turn(s)</source>
        <translation>
            <numerusform>チェーン: %n ターン</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HumanReview</name>
    <message>
        <source>A rating needs the answer it rates.</source>
        <translation>評価には対象となる回答が必要です。</translation>
    </message>
    <message>
        <source>A rating has 1 to 5 stars, not %1.</source>
        <translation>評価は星 1〜5 で、%1 は指定できません。</translation>
    </message>
</context>
<context>
    <name>Json</name>
    <message>
        <source>%1:%2:%3: invalid JSON: %4</source>
        <translation>%1:%2:%3: 無効な JSON: %4</translation>
    </message>
    <message>
        <source>%1: missing (a string is required)</source>
        <translation>%1: ありません (文字列が必要です)</translation>
    </message>
    <message>
        <source>%1: expected a string</source>
        <translation>%1: 文字列が必要です</translation>
    </message>
    <message>
        <source>%1: missing (a number is required)</source>
        <translation>%1: ありません (数値が必要です)</translation>
    </message>
    <message>
        <source>%1: expected a number</source>
        <translation>%1: 数値が必要です</translation>
    </message>
    <message>
        <source>%1: missing (an integer is required)</source>
        <translation>%1: ありません (整数が必要です)</translation>
    </message>
    <message>
        <source>%1: expected an integer</source>
        <translation>%1: 整数が必要です</translation>
    </message>
    <message>
        <source>%1: %2 is out of range (%3 to %4)</source>
        <translation>%1: %2 は範囲外です (%3〜%4)</translation>
    </message>
    <message>
        <source>%1: missing (true or false is required)</source>
        <translation>%1: ありません (true または false が必要です)</translation>
    </message>
    <message>
        <source>%1: expected true or false</source>
        <translation>%1: true または false が必要です</translation>
    </message>
    <message>
        <source>%1: missing</source>
        <translation>%1: ありません</translation>
    </message>
    <message>
        <source>an array</source>
        <translation>配列</translation>
    </message>
    <message>
        <source>an object</source>
        <translation>オブジェクト</translation>
    </message>
    <message>
        <source>%1: expected %2</source>
        <translation>%1: %2が必要です</translation>
    </message>
    <message>
        <source>%1: unknown key (expected one of: %2)</source>
        <translation>%1: 不明なキーです (次のいずれかが必要です: %2)</translation>
    </message>
    <message>
        <source>%1: invalid JSON: %2</source>
        <translation>%1: 無効な JSON: %2</translation>
    </message>
</context>
<context>
    <name>JsonSchema</name>
    <message>
        <source>the schema nests (or refers to itself) too deeply</source>
        <translation>スキーマの入れ子 (または自己参照) が深すぎます</translation>
    </message>
    <message>
        <source>no value is allowed here</source>
        <translation>ここには値を指定できません</translation>
    </message>
    <message>
        <source>the schema is not an object</source>
        <translation>スキーマがオブジェクトではありません</translation>
    </message>
    <message>
        <source>unresolvable $ref %1</source>
        <translation>解決できない $ref %1</translation>
    </message>
    <message>
        <source>expected one of %1</source>
        <translation>%1 のいずれかが必要です</translation>
    </message>
    <message>
        <source>expected %1</source>
        <translation>%1 が必要です</translation>
    </message>
    <message>
        <source>expected %1, got %2</source>
        <translation>%1 が必要ですが、%2 でした</translation>
    </message>
    <message>
        <source>%1 is less than the minimum %2</source>
        <translation>%1 は最小値 %2 より小さいです</translation>
    </message>
    <message>
        <source>%1 is more than the maximum %2</source>
        <translation>%1 は最大値 %2 より大きいです</translation>
    </message>
    <message>
        <source>%1 is not more than %2</source>
        <translation>%1 は %2 より大きくありません</translation>
    </message>
    <message>
        <source>%1 is not less than %2</source>
        <translation>%1 は %2 より小さくありません</translation>
    </message>
    <message>
        <source>%1 is not a multiple of %2</source>
        <translation>%1 は %2 の倍数ではありません</translation>
    </message>
    <message>
        <source>shorter than %1 characters</source>
        <translation>%1 文字より短いです</translation>
    </message>
    <message>
        <source>longer than %1 characters</source>
        <translation>%1 文字より長いです</translation>
    </message>
    <message>
        <source>the schema&apos;s pattern is not a valid regular expression</source>
        <translation>スキーマの pattern が有効な正規表現ではありません</translation>
    </message>
    <message>
        <source>does not match the pattern %1</source>
        <translation>パターン %1 に一致しません</translation>
    </message>
    <message>
        <source>fewer than %1 items</source>
        <translation>項目が %1 個未満です</translation>
    </message>
    <message>
        <source>more than %1 items</source>
        <translation>項目が %1 個を超えています</translation>
    </message>
    <message>
        <source>the items are not unique</source>
        <translation>項目が一意ではありません</translation>
    </message>
    <message>
        <source>no item matches &quot;contains&quot;</source>
        <translation>&quot;contains&quot; に一致する項目がありません</translation>
    </message>
    <message>
        <source>fewer than %1 properties</source>
        <translation>プロパティが %1 個未満です</translation>
    </message>
    <message>
        <source>more than %1 properties</source>
        <translation>プロパティが %1 個を超えています</translation>
    </message>
    <message>
        <source>missing required property &quot;%1&quot;</source>
        <translation>必須プロパティ &quot;%1&quot; がありません</translation>
    </message>
    <message>
        <source>property &quot;%1&quot; is not allowed</source>
        <translation>プロパティ &quot;%1&quot; は許可されていません</translation>
    </message>
    <message>
        <source>matches none of &quot;anyOf&quot; (first: %1)</source>
        <translation>&quot;anyOf&quot; のどれにも一致しません (最初の理由: %1)</translation>
    </message>
    <message>
        <source>matches %1 of &quot;oneOf&quot; (exactly one is required)</source>
        <translation>&quot;oneOf&quot; のうち %1 個に一致します (ちょうど 1 個である必要があります)</translation>
    </message>
    <message>
        <source>matches the schema under &quot;not&quot;</source>
        <translation>&quot;not&quot; の下のスキーマに一致します</translation>
    </message>
</context>
<context>
    <name>JsonlImporter</name>
    <message>
        <source>%1: expected a string or a list of content parts</source>
        <translation>%1: 文字列またはコンテンツパートのリストが必要です</translation>
    </message>
    <message>
        <source>%1: expected an object with a &quot;type&quot;</source>
        <translation>%1: &quot;type&quot; を持つオブジェクトが必要です</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; content cannot be replayed (text only)</source>
        <translation>%1: &quot;%2&quot; コンテンツは再生できません (テキストのみ)</translation>
    </message>
    <message>
        <source>%1.text: expected a string</source>
        <translation>%1.text: 文字列が必要です</translation>
    </message>
    <message>
        <source>expected an object with &quot;messages&quot;</source>
        <translation>&quot;messages&quot; を持つオブジェクトが必要です</translation>
    </message>
    <message>
        <source>messages: a non-empty list of messages is required</source>
        <translation>messages: 空でないメッセージのリストが必要です</translation>
    </message>
    <message>
        <source>id: expected a non-empty string</source>
        <translation>id: 空でない文字列が必要です</translation>
    </message>
    <message>
        <source>metadata: expected an object</source>
        <translation>metadata: オブジェクトが必要です</translation>
    </message>
    <message>
        <source>%1: expected an object with &quot;role&quot; and &quot;content&quot;</source>
        <translation>%1: &quot;role&quot; と &quot;content&quot; を持つオブジェクトが必要です</translation>
    </message>
    <message>
        <source>%1.role: expected a string</source>
        <translation>%1.role: 文字列が必要です</translation>
    </message>
    <message>
        <source>%1.role: &quot;%2&quot; messages cannot be replayed yet</source>
        <translation>%1.role: &quot;%2&quot; メッセージはまだ再生できません</translation>
    </message>
    <message>
        <source>%1.role: &quot;%2&quot; is not a role (system, developer, user or assistant)</source>
        <translation>%1.role: &quot;%2&quot; はロールではありません (system、developer、user、assistant)</translation>
    </message>
    <message>
        <source>%1.tool_calls: tool calls inside a conversation cannot be replayed yet</source>
        <translation>%1.tool_calls: 会話内のツール呼び出しはまだ再生できません</translation>
    </message>
    <message>
        <source>%1.content: missing</source>
        <translation>%1.content: ありません</translation>
    </message>
    <message>
        <source>messages: the conversation must end with a user message (a final assistant message is the logged answer)</source>
        <translation>messages: 会話はユーザーメッセージで終わる必要があります (最後のアシスタントメッセージは記録された回答とみなします)</translation>
    </message>
    <message>
        <source>%1:%2:%3: not valid JSON: %4</source>
        <translation>%1:%2:%3: 有効な JSON ではありません: %4</translation>
    </message>
    <message>
        <source>%1:%2: id: duplicate case id &quot;%3&quot;</source>
        <translation>%1:%2: id: ケース ID &quot;%3&quot; が重複しています</translation>
    </message>
    <message>
        <source>%1: no conversation to replay</source>
        <translation>%1: 再生する会話がありません</translation>
    </message>
    <message>
        <source>%1: the sample must hold at least one line</source>
        <translation>%1: サンプルには少なくとも 1 行が必要です</translation>
    </message>
    <message>
        <source>Shadow traffic from %1: %2 of %3 conversation(s)</source>
        <translation>%1 のシャドートラフィック: %3 件中 %2 件の会話</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>%1 を開けません: %2</translation>
    </message>
    <message>
        <source>%1: the file is too large (the limit is %2 MiB)</source>
        <translation>%1: ファイルが大きすぎます (上限は %2 MiB)</translation>
    </message>
    <message>
        <source>%1:%2: not valid JSON: %3</source>
        <translation>%1:%2: 有効な JSON ではありません: %3</translation>
    </message>
</context>
<context>
    <name>JudgeGrade</name>
    <message>
        <source>(no reason given)</source>
        <translation>(理由なし)</translation>
    </message>
    <message>
        <source>not: judge: %1</source>
        <translation>否定: ジャッジ: %1</translation>
    </message>
    <message>
        <source>judge: %1</source>
        <translation>ジャッジ: %1</translation>
    </message>
    <message>
        <source>judge error: %1</source>
        <translation>ジャッジのエラー: %1</translation>
    </message>
    <message>
        <source>chosen as the best of %1 answers, in both orders: %2</source>
        <translation>%1 件の回答のうち、両方の順序で最良に選ばれました: %2</translation>
    </message>
    <message>
        <source>not chosen; the judge picked another of %1 answers in both orders: %2</source>
        <translation>選ばれませんでした。ジャッジは両方の順序で %1 件の回答のうち別の回答を選びました: %2</translation>
    </message>
    <message>
        <source>tie/inconsistent: the judge picked differently when the positions were swapped (%1)</source>
        <translation>引き分け/不一致: 位置を入れ替えるとジャッジの選択が変わりました (%1)</translation>
    </message>
    <message>
        <source>not graded (%1)</source>
        <translation>未採点 (%1)</translation>
    </message>
</context>
<context>
    <name>JudgePrompt</name>
    <message>
        <source>select-best needs at least two answers</source>
        <translation>select-best には少なくとも 2 件の回答が必要です</translation>
    </message>
    <message>
        <source>select-best compares at most %1 answers, not %2</source>
        <translation>select-best で比較できる回答は最大 %1 件です (%2 件は比較できません)</translation>
    </message>
</context>
<context>
    <name>JudgeTemplates</name>
    <message>
        <source>expected an object of judge templates</source>
        <translation>ジャッジテンプレートのオブジェクトが必要です</translation>
    </message>
    <message>
        <source>%1: unknown key (expected llm-rubric, factuality or select-best)</source>
        <translation>%1: 不明なキーです (llm-rubric、factuality、select-best のいずれかが必要です)</translation>
    </message>
    <message>
        <source>%1: expected an object with &quot;user&quot; and optionally &quot;system&quot;</source>
        <translation>%1: &quot;user&quot; と、任意で &quot;system&quot; を持つオブジェクトが必要です</translation>
    </message>
    <message>
        <source>%1.%2: unknown key (expected system or user)</source>
        <translation>%1.%2: 不明なキーです (system または user が必要です)</translation>
    </message>
    <message>
        <source>%1.user: the template needs the placeholder {{%2}}</source>
        <translation>%1.user: テンプレートにはプレースホルダー {{%2}} が必要です</translation>
    </message>
    <message>
        <source>%1: cannot read: %2</source>
        <translation>%1: 読み込めません: %2</translation>
    </message>
    <message>
        <source>%1: too large for a judge template file (at most 1 MiB)</source>
        <translation>%1: ジャッジテンプレートファイルとしては大きすぎます (最大 1 MiB)</translation>
    </message>
</context>
<context>
    <name>JudgeVerdict</name>
    <message>
        <source>the judge&apos;s answer is empty</source>
        <translation>ジャッジの回答が空です</translation>
    </message>
    <message>
        <source>the judge&apos;s answer is too long (%1 characters)</source>
        <translation>ジャッジの回答が長すぎます (%1 文字)</translation>
    </message>
    <message>
        <source>no JSON verdict in the judge&apos;s answer (&quot;%1&quot;)</source>
        <translation>ジャッジの回答に JSON の判定がありません (&quot;%1&quot;)</translation>
    </message>
    <message>
        <source>the verdict has no score</source>
        <translation>判定にスコアがありません</translation>
    </message>
    <message>
        <source>the verdict&apos;s score is not a number (%1)</source>
        <translation>判定のスコアが数値ではありません (%1)</translation>
    </message>
    <message>
        <source>the verdict&apos;s score %1 is outside 0 to 1</source>
        <translation>判定のスコア %1 が 0〜1 の範囲外です</translation>
    </message>
    <message>
        <source>the verdict&apos;s pass is not true or false (%1)</source>
        <translation>判定の pass が true でも false でもありません (%1)</translation>
    </message>
    <message>
        <source>the verdict&apos;s reason is not a string</source>
        <translation>判定の理由が文字列ではありません</translation>
    </message>
</context>
<context>
    <name>KeyCommands</name>
    <message>
        <source>Key (input hidden): </source>
        <translation>キー (入力は表示されません): </translation>
    </message>
    <message>
        <source>Usage: slopscope-cli keys set NAME  (the key is read from stdin; NAME is the provider&apos;s api_key_env, e.g. OPENAI_API_KEY)</source>
        <translation>使い方: slopscope-cli keys set NAME  (キーは標準入力から読み込みます。NAME はプロバイダーの api_key_env です。例: OPENAI_API_KEY)</translation>
    </message>
    <message>
        <source>No key on stdin; nothing was saved.</source>
        <translation>標準入力にキーがありません。何も保存されませんでした。</translation>
    </message>
    <message>
        <source>Saved %1 in the system keychain.</source>
        <translation>%1 をシステムのキーチェーンに保存しました。</translation>
    </message>
    <message>
        <source>Could not save %1 in the system keychain: %2</source>
        <translation>%1 をシステムのキーチェーンに保存できませんでした: %2</translation>
    </message>
    <message>
        <source>The key was not stored anywhere. Set the environment variable %1 instead.</source>
        <translation>キーはどこにも保存されていません。代わりに環境変数 %1 を設定してください。</translation>
    </message>
    <message>
        <source>Usage: slopscope-cli keys remove NAME</source>
        <translation>使い方: slopscope-cli keys remove NAME</translation>
    </message>
    <message>
        <source>Removed %1 from the system keychain.</source>
        <translation>%1 をシステムのキーチェーンから削除しました。</translation>
    </message>
    <message>
        <source>The system keychain holds no key named %1.</source>
        <translation>システムのキーチェーンに %1 という名前のキーはありません。</translation>
    </message>
    <message>
        <source>Could not remove %1 from the system keychain: %2</source>
        <translation>%1 をシステムのキーチェーンから削除できませんでした: %2</translation>
    </message>
    <message>
        <source>--workspace needs a file.</source>
        <translation>--workspace にはファイルが必要です。</translation>
    </message>
    <message>
        <source>Usage: slopscope-cli keys status [--workspace FILE | --demo] [NAME...]</source>
        <translation>使い方: slopscope-cli keys status [--workspace FILE | --demo] [NAME...]</translation>
    </message>
    <message>
        <source>No key names: give --workspace FILE, --demo or NAME...</source>
        <translation>キー名がありません: --workspace FILE、--demo、または NAME... を指定してください</translation>
    </message>
    <message>
        <source>environment</source>
        <translation>環境変数</translation>
    </message>
    <message>
        <source>keychain</source>
        <translation>キーチェーン</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>見つかりません</translation>
    </message>
    <message>
        <source>missing (keychain: %1)</source>
        <translation>見つかりません (キーチェーン: %1)</translation>
    </message>
    <message>
        <source>(simulated providers need none)</source>
        <translation>(シミュレートされたプロバイダーには不要)</translation>
    </message>
    <message>
        <source>Keychain: no key for %1: %2</source>
        <translation>キーチェーン: %1 のキーがありません: %2</translation>
    </message>
    <message>
        <source>Usage: slopscope-cli keys allow-host NAME HOST  (HOST as in the provider&apos;s base URL, e.g. api.openai.com)</source>
        <translation>使い方: slopscope-cli keys allow-host NAME HOST  (HOST はプロバイダーのベース URL に含まれるホスト名。例: api.openai.com)</translation>
    </message>
    <message>
        <source>%1 may now be sent to: %2</source>
        <translation>%1 を次の宛先に送信できるようになりました: %2</translation>
    </message>
    <message>
        <source>Usage: slopscope-cli keys set NAME | remove NAME | allow-host NAME HOST | status [--workspace FILE | --demo] [NAME...]</source>
        <translation>使い方: slopscope-cli keys set NAME | remove NAME | allow-host NAME HOST | status [--workspace FILE | --demo] [NAME...]</translation>
    </message>
</context>
<context>
    <name>KeyStore</name>
    <message>
        <source>No key named %1 is stored.</source>
        <translation>%1 という名前のキーは保存されていません。</translation>
    </message>
    <message>
        <source>No keychain service is available (no session bus or no secret service running).</source>
        <translation>利用できるキーチェーンサービスがありません (セッションバスまたはシークレットサービスが動作していません)。</translation>
    </message>
    <message>
        <source>The keychain is locked.</source>
        <translation>キーチェーンはロックされています。</translation>
    </message>
    <message>
        <source>Access to the keychain was denied.</source>
        <translation>キーチェーンへのアクセスが拒否されました。</translation>
    </message>
    <message>
        <source>Keychain not responding.</source>
        <translation>キーチェーンが応答しません。</translation>
    </message>
    <message>
        <source>The keychain failed.</source>
        <translation>キーチェーンでエラーが発生しました。</translation>
    </message>
</context>
<context>
    <name>MarkdownReport</name>
    <message>
        <source>Leaderboard</source>
        <translation>リーダーボード</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>ターゲット</translation>
    </message>
    <message>
        <source>Quality (95% interval)</source>
        <translation>品質（95% 区間）</translation>
    </message>
    <message>
        <source>Brittleness</source>
        <translation>脆さ</translation>
    </message>
    <message>
        <source>$/1k cases</source>
        <translation>$/1k ケース</translation>
    </message>
    <message>
        <source>TTFT p50</source>
        <translation>TTFT p50</translation>
    </message>
    <message>
        <source>Decode tok/s p50</source>
        <translation>デコード tok/s p50</translation>
    </message>
    <message>
        <source>Error rate</source>
        <translation>エラー率</translation>
    </message>
    <message>
        <source>n</source>
        <translation>n</translation>
    </message>
    <message>
        <source>not measured</source>
        <translation>未測定</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>ケース</translation>
    </message>
    <message>
        <source>Each target&apos;s answer to the canonical wording (first repeat); every sample is in the CSV and JSONL exports.</source>
        <translation>各ターゲットの正規の文言への回答 (最初の繰り返し) です。すべてのサンプルは CSV および JSONL エクスポートに含まれます。</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>プロンプト</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>参照回答</translation>
    </message>
    <message>
        <source>score %1</source>
        <translation>スコア %1</translation>
    </message>
    <message>
        <source>Methodology</source>
        <translation>方法論</translation>
    </message>
    <message>
        <source>Definitions</source>
        <translation>定義</translation>
    </message>
    <message>
        <source>Run conditions</source>
        <translation>実行条件</translation>
    </message>
    <message>
        <source>Prices</source>
        <translation>価格</translation>
    </message>
    <message>
        <source>No catalogue price was overridden by the workspace.</source>
        <translation>ワークスペースで上書きされたカタログ価格はありません。</translation>
    </message>
    <message>
        <source>Prices the workspace set over the catalogue&apos;s:</source>
        <translation>ワークスペースがカタログの価格を上書きした価格:</translation>
    </message>
    <message numerus="yes">
        <source>Chain: %n turn(s)</source>
        <translation>
            <numerusform>チェーン: %n ターン</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PairwiseJudgement</name>
    <message>
        <source>first ask: %1</source>
        <translation>1 回目の質問: %1</translation>
    </message>
    <message>
        <source>swapped ask: %1</source>
        <translation>入れ替え後の質問: %1</translation>
    </message>
    <message>
        <source>a pick is outside the answers shown</source>
        <translation>選択が提示した回答の範囲外です</translation>
    </message>
</context>
<context>
    <name>PdfReport</name>
    <message>
        <source>Run %1 · started %2 · ended %3 · Slopscope %4</source>
        <translation>実行 %1 · 開始 %2 · 終了 %3 · Slopscope %4</translation>
    </message>
    <message>
        <source>Leaderboard</source>
        <translation>リーダーボード</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>ターゲット</translation>
    </message>
    <message>
        <source>Quality [95% interval]</source>
        <translation>品質 [95% 区間]</translation>
    </message>
    <message>
        <source>Brittleness</source>
        <translation>脆さ</translation>
    </message>
    <message>
        <source>$ / 1k cases</source>
        <translation>$ / 1k ケース</translation>
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
        <translation>レイテンシ p95</translation>
    </message>
    <message>
        <source>Error rate</source>
        <translation>エラー率</translation>
    </message>
    <message>
        <source>n</source>
        <translation>n</translation>
    </message>
    <message>
        <source>not measured</source>
        <translation>未測定</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>ケース</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>プロンプト</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>参照回答</translation>
    </message>
    <message>
        <source>score %1</source>
        <translation>スコア %1</translation>
    </message>
    <message>
        <source>Methodology</source>
        <translation>方法論</translation>
    </message>
    <message>
        <source>Definitions</source>
        <translation>定義</translation>
    </message>
    <message>
        <source>Run conditions</source>
        <translation>実行条件</translation>
    </message>
    <message>
        <source>Prices</source>
        <translation>価格</translation>
    </message>
    <message>
        <source>No catalogue price was overridden by the workspace.</source>
        <translation>ワークスペースで上書きされたカタログ価格はありません。</translation>
    </message>
    <message>
        <source>Prices the workspace set over the catalogue&apos;s:</source>
        <translation>ワークスペースがカタログの価格を上書きした価格:</translation>
    </message>
    <message>
        <source>Writing a PDF needs the graphical application (a QGuiApplication).</source>
        <translation>PDF の書き出しにはグラフィカルアプリケーション (QGuiApplication) が必要です。</translation>
    </message>
    <message>
        <source>The PDF writer could not start.</source>
        <translation>PDF ライターを開始できませんでした。</translation>
    </message>
    <message numerus="yes">
        <source>Chain: %n turn(s)</source>
        <translation>
            <numerusform>チェーン: %n ターン</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PriceCatalogue</name>
    <message>
        <source>unknown catalogue</source>
        <translation>不明なカタログ</translation>
    </message>
    <message>
        <source>%1:%2:%3: invalid JSON: %4</source>
        <translation>%1:%2:%3: 無効な JSON: %4</translation>
    </message>
    <message>
        <source>%1: expected a JSON object of models</source>
        <translation>%1: モデルの JSON オブジェクトが必要です</translation>
    </message>
    <message>
        <source>%1: expected a JSON object {&quot;source&quot;, &quot;commit&quot;, &quot;date&quot;}</source>
        <translation>%1: JSON オブジェクト {&quot;source&quot;, &quot;commit&quot;, &quot;date&quot;} が必要です</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; must be a non-empty string</source>
        <translation>%1: &quot;%2&quot; は空でない文字列である必要があります</translation>
    </message>
    <message>
        <source>%1: the bundled price catalogue is missing</source>
        <translation>%1: 同梱の価格カタログが見つかりません</translation>
    </message>
    <message>
        <source>%1: the bundled price table is missing</source>
        <translation>%1: 同梱の価格表が見つかりません</translation>
    </message>
    <message>
        <source>%1: expected an object of model keys</source>
        <translation>%1: モデルキーのオブジェクトが必要です</translation>
    </message>
    <message>
        <source>%1: %2: expected an object of prices</source>
        <translation>%1: %2: 価格のオブジェクトが必要です</translation>
    </message>
    <message>
        <source>%1: unknown price field (expected input_per_mtok, output_per_mtok, cached_input_per_mtok, cache_write_per_mtok or reasoning_per_mtok)</source>
        <translation>%1: 不明な価格フィールドです (input_per_mtok、output_per_mtok、cached_input_per_mtok、cache_write_per_mtok、reasoning_per_mtok のいずれかが必要です)</translation>
    </message>
    <message>
        <source>%1: a price cannot be negative</source>
        <translation>%1: 価格を負の値にすることはできません</translation>
    </message>
</context>
<context>
    <name>PromptfooImporter</name>
    <message>
        <source>OpenAI %1 endpoints are not chat; not mapped</source>
        <translation>OpenAI の %1 エンドポイントはチャットではないため、変換しません</translation>
    </message>
    <message>
        <source>Anthropic&apos;s legacy completion API is not supported; not mapped</source>
        <translation>Anthropic の旧 completion API はサポートされていないため、変換しません</translation>
    </message>
    <message>
        <source>Vertex AI speaks Gemini&apos;s format; set your project&apos;s endpoint as the base URL</source>
        <translation>Vertex AI は Gemini の形式を使います。プロジェクトのエンドポイントをベース URL に設定してください</translation>
    </message>
    <message>
        <source>Ollama embeddings are not chat; not mapped</source>
        <translation>Ollama の埋め込みはチャットではないため、変換しません</translation>
    </message>
    <message>
        <source>runs through Ollama&apos;s chat API instead of /api/generate</source>
        <translation>/api/generate ではなく Ollama のチャット API 経由で実行します</translation>
    </message>
    <message>
        <source>Azure OpenAI: set your resource&apos;s deployment URL as the base URL</source>
        <translation>Azure OpenAI: リソースのデプロイ URL をベース URL に設定してください</translation>
    </message>
    <message>
        <source>Slopscope cannot call &quot;%1&quot; providers; not mapped</source>
        <translation>Slopscope は &quot;%1&quot; プロバイダーを呼び出せないため、変換しません</translation>
    </message>
    <message>
        <source>no model named; not mapped</source>
        <translation>モデルが指定されていないため、変換しません</translation>
    </message>
    <message>
        <source>a promptfoo configuration must be a mapping (prompts, providers, tests)</source>
        <translation>promptfoo の設定はマッピング (prompts、providers、tests) である必要があります</translation>
    </message>
    <message>
        <source>the key &quot;%1&quot; is not imported</source>
        <translation>キー &quot;%1&quot; はインポートされません</translation>
    </message>
    <message>
        <source>expected a string</source>
        <translation>文字列が必要です</translation>
    </message>
    <message>
        <source>scenarios are not imported; only tests are</source>
        <translation>scenarios はインポートされません。インポートされるのは tests のみです</translation>
    </message>
    <message>
        <source>custom nunjucks filters are not imported</source>
        <translation>nunjucks のカスタムフィルターはインポートされません</translation>
    </message>
    <message>
        <source>at least one prompt is required</source>
        <translation>少なくとも 1 つのプロンプトが必要です</translation>
    </message>
    <message>
        <source>the configuration yields no test</source>
        <translation>設定からテストが 1 つも得られません</translation>
    </message>
    <message>
        <source>nested too deeply</source>
        <translation>入れ子が深すぎます</translation>
    </message>
    <message>
        <source>the configuration is too large once its aliases are expanded (more than %1 values)</source>
        <translation>エイリアスを展開すると設定が大きすぎます (値が %1 個を超えます)</translation>
    </message>
    <message>
        <source>keys must be plain strings</source>
        <translation>キーは単純な文字列である必要があります</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>%1 を読み込めません: %2</translation>
    </message>
    <message>
        <source>%1 is too large</source>
        <translation>%1 は大きすぎます</translation>
    </message>
    <message>
        <source>no file %1</source>
        <translation>ファイル %1 がありません</translation>
    </message>
    <message>
        <source>no file matches %1</source>
        <translation>%1 に一致するファイルがありません</translation>
    </message>
    <message>
        <source>a chat prompt must be a list of {&quot;role&quot;, &quot;content&quot;} messages</source>
        <translation>チャットプロンプトは {&quot;role&quot;, &quot;content&quot;} メッセージのリストである必要があります</translation>
    </message>
    <message>
        <source>the prompt is empty</source>
        <translation>プロンプトが空です</translation>
    </message>
    <message>
        <source>nunjucks tags ({% … %}) are not supported; only {{var}} placeholders are</source>
        <translation>nunjucks のタグ ({% … %}) はサポートされていません。サポートされるのは {{var}} プレースホルダーのみです</translation>
    </message>
    <message>
        <source>nunjucks filters ({{ var | filter }}) are not supported</source>
        <translation>nunjucks のフィルター ({{ var | filter }}) はサポートされていません</translation>
    </message>
    <message>
        <source>prompt functions (%1) cannot be imported; use text or chat prompts</source>
        <translation>プロンプト関数 (%1) はインポートできません。テキストまたはチャットのプロンプトを使ってください</translation>
    </message>
    <message>
        <source>%1 is not valid JSON</source>
        <translation>%1 は有効な JSON ではありません</translation>
    </message>
    <message>
        <source>%1:%2: %3</source>
        <translation>%1:%2: %3</translation>
    </message>
    <message>
        <source>%1 must hold a list of {&quot;role&quot;, &quot;content&quot;} messages</source>
        <translation>%1 には {&quot;role&quot;, &quot;content&quot;} メッセージのリストが必要です</translation>
    </message>
    <message>
        <source>%1:%2: expected a list of {&quot;role&quot;, &quot;content&quot;} messages</source>
        <translation>%1:%2: {&quot;role&quot;, &quot;content&quot;} メッセージのリストが必要です</translation>
    </message>
    <message>
        <source>expected a prompt or a list of prompts</source>
        <translation>プロンプトまたはプロンプトのリストが必要です</translation>
    </message>
    <message>
        <source>expected a string or {raw|id, label}</source>
        <translation>文字列または {raw|id, label} が必要です</translation>
    </message>
    <message>
        <source>expected chat messages</source>
        <translation>チャットメッセージが必要です</translation>
    </message>
    <message>
        <source>a prompt object needs &quot;raw&quot; or &quot;id&quot;</source>
        <translation>プロンプトオブジェクトには &quot;raw&quot; または &quot;id&quot; が必要です</translation>
    </message>
    <message>
        <source>expected a mapping</source>
        <translation>マッピングが必要です</translation>
    </message>
    <message>
        <source>%1: the API key in the configuration is not imported; Slopscope reads keys from the environment</source>
        <translation>%1: 設定内の API キーはインポートされません。Slopscope はキーを環境変数から読み込みます</translation>
    </message>
    <message>
        <source>expected a provider id or a list of providers</source>
        <translation>プロバイダー ID またはプロバイダーのリストが必要です</translation>
    </message>
    <message>
        <source>expected a provider id or {id, label, config}</source>
        <translation>プロバイダー ID または {id, label, config} が必要です</translation>
    </message>
    <message>
        <source>a provider object needs an &quot;id&quot;</source>
        <translation>プロバイダーオブジェクトには &quot;id&quot; が必要です</translation>
    </message>
    <message>
        <source>tests from %1 cannot be imported (YAML, JSON, JSONL or CSV only)</source>
        <translation>%1 からテストをインポートできません (YAML、JSON、JSONL、CSV のみ)</translation>
    </message>
    <message>
        <source>expected a list of tests</source>
        <translation>テストのリストが必要です</translation>
    </message>
    <message>
        <source>%1 field(s), but the header has %2</source>
        <translation>フィールドが %1 個ありますが、ヘッダーは %2 個です</translation>
    </message>
    <message>
        <source>expected a number</source>
        <translation>数値が必要です</translation>
    </message>
    <message>
        <source>the CSV column &quot;%1&quot; is not imported</source>
        <translation>CSV の列 &quot;%1&quot; はインポートされません</translation>
    </message>
    <message>
        <source>expected a list of tests or a file:// reference</source>
        <translation>テストのリストまたは file:// 参照が必要です</translation>
    </message>
    <message>
        <source>a test must be a mapping (vars, assert, ...)</source>
        <translation>テストはマッピング (vars、assert、...) である必要があります</translation>
    </message>
    <message>
        <source>vars from scripts (%1) cannot be imported</source>
        <translation>スクリプトからの vars (%1) はインポートできません</translation>
    </message>
    <message>
        <source>expected a list of assertions</source>
        <translation>アサーションのリストが必要です</translation>
    </message>
    <message>
        <source>expected a mapping with a &quot;type&quot;</source>
        <translation>&quot;type&quot; を持つマッピングが必要です</translation>
    </message>
    <message>
        <source>a type is required</source>
        <translation>type が必要です</translation>
    </message>
    <message>
        <source>assert-set groups are kept as one check that Slopscope cannot grade</source>
        <translation>assert-set グループは、Slopscope が採点できない 1 つのチェックとして保持されます</translation>
    </message>
    <message>
        <source>expected a number of at least 0</source>
        <translation>0 以上の数値が必要です</translation>
    </message>
    <message>
        <source>assertion &quot;%1&quot; settings are not imported</source>
        <translation>アサーション &quot;%1&quot; の設定はインポートされません</translation>
    </message>
    <message>
        <source>assertion type &quot;%1&quot; is kept but cannot be graded (unknown grader)</source>
        <translation>アサーションの種類 &quot;%1&quot; は保持されますが、採点できません (不明な採点器)</translation>
    </message>
    <message>
        <source>test option &quot;%1&quot; is not imported</source>
        <translation>テストオプション &quot;%1&quot; はインポートされません</translation>
    </message>
    <message>
        <source>expected a file with one test mapping</source>
        <translation>テストマッピングを 1 つ含むファイルが必要です</translation>
    </message>
    <message>
        <source>expected a mapping (vars, assert, options)</source>
        <translation>マッピング (vars、assert、options) が必要です</translation>
    </message>
    <message>
        <source>the test key &quot;%1&quot; is not imported</source>
        <translation>テストのキー &quot;%1&quot; はインポートされません</translation>
    </message>
    <message>
        <source>per-test &quot;%1&quot; filters are not imported: every test runs on every target and prompt</source>
        <translation>テストごとの &quot;%1&quot; フィルターはインポートされません: すべてのテストはすべてのターゲットとプロンプトで実行されます</translation>
    </message>
    <message>
        <source>fixed providerOutput values are not imported</source>
        <translation>固定の providerOutput 値はインポートされません</translation>
    </message>
    <message>
        <source>expected a mapping of names and values</source>
        <translation>名前と値のマッピングが必要です</translation>
    </message>
    <message>
        <source>an empty list gives no case</source>
        <translation>空のリストからはケースが得られません</translation>
    </message>
    <message>
        <source>the lists in vars expand to more than %1 cases</source>
        <translation>vars 内のリストを展開すると %1 件を超えるケースになります</translation>
    </message>
    <message>
        <source>an assertion uses {{%1}}, which this test does not define</source>
        <translation>アサーションが {{%1}} を使用していますが、このテストでは定義されていません</translation>
    </message>
    <message>
        <source>the prompt &quot;%1&quot; uses {{%2}}, which this test does not define</source>
        <translation>プロンプト &quot;%1&quot; が {{%2}} を使用していますが、このテストでは定義されていません</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>%1 を開けません: %2</translation>
    </message>
    <message>
        <source>%1: the file is too large (the limit is %2 MiB)</source>
        <translation>%1: ファイルが大きすぎます (上限は %2 MiB)</translation>
    </message>
    <message>
        <source>%1 is outside the configuration&apos;s folder %2; included files must be inside it</source>
        <translation>%1 は設定フォルダー %2 の外にあります。読み込むファイルはこのフォルダー内に置いてください</translation>
    </message>
</context>
<context>
    <name>ReportChart</name>
    <message>
        <source>Price and quality</source>
        <translation>価格と品質</translation>
    </message>
    <message>
        <source>Cost per 1,000 cases (USD, log scale)</source>
        <translation>1,000 ケースあたりのコスト (USD、対数目盛)</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>品質</translation>
    </message>
    <message>
        <source>cheaper and better</source>
        <translation>安価で高品質</translation>
    </message>
    <message>
        <source>pricier and better</source>
        <translation>高価で高品質</translation>
    </message>
    <message>
        <source>cheaper and worse</source>
        <translation>安価で低品質</translation>
    </message>
    <message>
        <source>pricier and worse</source>
        <translation>高価で低品質</translation>
    </message>
    <message>
        <source>No target has both a quality and a known cost yet.</source>
        <translation>品質と既知のコストの両方を持つターゲットはまだありません。</translation>
    </message>
    <message>
        <source>Not drawn (no quality or unknown cost): %1</source>
        <translation>描画なし (品質なし、またはコスト不明): %1</translation>
    </message>
    <message>
        <source>● target   ◉ on the Pareto frontier   │ 95% quality interval</source>
        <translation>● ターゲット   ◉ パレートフロンティア上   │ 95% 品質区間</translation>
    </message>
    <message>
        <source>Drawing a chart needs the graphical application (a QGuiApplication).</source>
        <translation>グラフの描画にはグラフィカルアプリケーション (QGuiApplication) が必要です。</translation>
    </message>
    <message>
        <source>The chart could not be encoded as PNG.</source>
        <translation>グラフを PNG にエンコードできませんでした。</translation>
    </message>
    <message>
        <source>The PDF writer could not start.</source>
        <translation>PDF ライターを開始できませんでした。</translation>
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
        <translation>%1: 書き込めません: %2</translation>
    </message>
    <message>
        <source>%1: a report is .html, .pdf or .md</source>
        <translation>%1: レポートは .html、.pdf、.md のいずれかです</translation>
    </message>
    <message>
        <source>%1: a chart is .png, .svg or .pdf</source>
        <translation>%1: グラフは .png、.svg、.pdf のいずれかです</translation>
    </message>
</context>
<context>
    <name>ReportText</name>
    <message>
        <source>unknown</source>
        <translation>不明</translation>
    </message>
    <message>
        <source>Untitled suite</source>
        <translation>無題のスイート</translation>
    </message>
    <message>
        <source>%1: run report</source>
        <translation>%1: 実行レポート</translation>
    </message>
    <message>
        <source>%1: run %2</source>
        <translation>%1: 実行 %2</translation>
    </message>
    <message>
        <source>Quality is the canonical wording&apos;s mean score over cases with its 95% bootstrap interval. ★ marks targets on the price/quality Pareto frontier. Unknown figures are shown as unknown, never as 0.</source>
        <translation>品質は、正規の文言のケース全体での平均スコアと、その 95% ブートストラップ区間です。★ は価格/品質のパレートフロンティア上のターゲットを示します。不明な数値は 0 ではなく「不明」と表示します。</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>品質</translation>
    </message>
    <message>
        <source>Each case&apos;s score (0–1, the weighted mean of its assertions) is averaged over its repeats; quality is the mean over cases of the canonical wording. A request that failed scores 0. The interval is a 95% percentile bootstrap over cases.</source>
        <translation>各ケースのスコア (0〜1、アサーションの加重平均) を繰り返し全体で平均します。品質は正規の文言のケース全体での平均です。失敗したリクエストのスコアは 0 です。区間はケースに対する 95% パーセンタイル・ブートストラップ区間です。</translation>
    </message>
    <message>
        <source>Brittleness</source>
        <translation>脆さ</translation>
    </message>
    <message>
        <source>Canonical quality minus reworded quality, over the cases run in both forms, with a paired 95% bootstrap interval. Positive: the target does worse when the same question is asked differently.</source>
        <translation>両方の形で実行したケースにおける、正規の文言の品質から言い換えの品質を引いた値で、対応のある 95% ブートストラップ区間を付けています。正の値は、同じ質問を別の言い方で尋ねるとターゲットの成績が下がることを意味します。</translation>
    </message>
    <message>
        <source>TTFT</source>
        <translation>TTFT</translation>
    </message>
    <message>
        <source>Time to first token: from sending the answering attempt to the first content of any kind (reasoning included).</source>
        <translation>最初のトークンまでの時間: 回答の試行を送信してから、種類を問わず最初のコンテンツ (推論を含む) が届くまで。</translation>
    </message>
    <message>
        <source>TTFAT</source>
        <translation>TTFAT</translation>
    </message>
    <message>
        <source>Time to first answer token: to the first content that is not reasoning.</source>
        <translation>最初の回答トークンまでの時間: 推論以外の最初のコンテンツが届くまで。</translation>
    </message>
    <message>
        <source>Decode tok/s</source>
        <translation>デコード tok/s</translation>
    </message>
    <message>
        <source>Output tokens after the first chunk divided by the time from the first to the last content chunk. Needs two content chunks; estimated from characters (4 per token) when the provider reported no usage.</source>
        <translation>最初のチャンク以降の出力トークン数を、最初から最後のコンテンツチャンクまでの時間で割った値です。コンテンツチャンクが 2 つ必要です。プロバイダーが使用量を報告しなかった場合は文字数から推定します (4 文字で 1 トークン)。</translation>
    </message>
    <message>
        <source>ITL</source>
        <translation>ITL</translation>
    </message>
    <message>
        <source>Inter-token latency: (end-to-end − TTFT) ÷ (streamed tokens − 1).</source>
        <translation>トークン間レイテンシ: (エンドツーエンド − TTFT) ÷ (ストリームされたトークン数 − 1)。</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>レイテンシ</translation>
    </message>
    <message>
        <source>End to end: from sending the answering attempt to the end of the response. p50 and p95 are nearest-rank percentiles (the ⌈q·n⌉-th smallest).</source>
        <translation>エンドツーエンド: 回答の試行を送信してから応答が終わるまで。p50 と p95 は最近順位法によるパーセンタイル (小さい方から ⌈q·n⌉ 番目) です。</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>コスト</translation>
    </message>
    <message>
        <source>From reported token usage, split into disjoint buckets: uncached input, cached input (cache reads), cache writes, output, and reasoning when it has its own price. Unknown when usage or a needed price is missing; a total is shown only when every cost is known.</source>
        <translation>報告されたトークン使用量から、重複しない区分に分けて算出します: キャッシュなし入力、キャッシュ済み入力 (キャッシュ読み取り)、キャッシュ書き込み、出力、および独自の価格がある場合は推論。使用量または必要な価格が欠けている場合は不明とします。合計はすべてのコストが判明している場合にのみ表示します。</translation>
    </message>
    <message>
        <source>Cost per 1k cases</source>
        <translation>1k ケースあたりのコスト</translation>
    </message>
    <message>
        <source>The mean cost of a case (all its repeats and wordings) × 1,000, over cases whose cost is known; unknown if any case&apos;s cost is.</source>
        <translation>コストが判明しているケースにおける、1 ケース (すべての繰り返しと文言を含む) の平均コスト × 1,000 です。いずれかのケースのコストが不明な場合は不明とします。</translation>
    </message>
    <message>
        <source>Error rate</source>
        <translation>エラー率</translation>
    </message>
    <message>
        <source>Share of requests that did not end with a complete answer (errors and truncated answers); cancelled requests are left out.</source>
        <translation>完全な回答で終わらなかったリクエスト (エラーおよび打ち切られた回答) の割合です。キャンセルされたリクエストは除外します。</translation>
    </message>
    <message>
        <source>Pareto frontier</source>
        <translation>パレートフロンティア</translation>
    </message>
    <message>
        <source>Targets that no other target beats on both cost per 1k cases and quality.</source>
        <translation>1k ケースあたりのコストと品質の両方で上回る他のターゲットが存在しないターゲットです。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>実行</translation>
    </message>
    <message>
        <source>Suite</source>
        <translation>スイート</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>開始</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>終了</translation>
    </message>
    <message>
        <source>Repeats</source>
        <translation>繰り返し回数</translation>
    </message>
    <message>
        <source>Rewordings</source>
        <translation>言い換え</translation>
    </message>
    <message>
        <source>run</source>
        <translation>実行</translation>
    </message>
    <message>
        <source>not run</source>
        <translation>未実行</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>順序</translation>
    </message>
    <message>
        <source>one provider at a time</source>
        <translation>プロバイダーごとに 1 つずつ</translation>
    </message>
    <message>
        <source>all providers at once, interleaved</source>
        <translation>全プロバイダー同時 (交互)</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>シード</translation>
    </message>
    <message>
        <source>Concurrency</source>
        <translation>同時実行数</translation>
    </message>
    <message>
        <source>%1 overall; per provider %2</source>
        <translation>全体で %1、プロバイダーごとに %2</translation>
    </message>
    <message>
        <source>Spend cap</source>
        <translation>支出上限</translation>
    </message>
    <message>
        <source>none</source>
        <translation>なし</translation>
    </message>
    <message>
        <source>Stopped early</source>
        <translation>早期停止</translation>
    </message>
    <message>
        <source>no</source>
        <translation>いいえ</translation>
    </message>
    <message>
        <source>App version</source>
        <translation>アプリのバージョン</translation>
    </message>
    <message>
        <source>Price catalogue</source>
        <translation>価格カタログ</translation>
    </message>
    <message>
        <source>none (workspace prices only)</source>
        <translation>なし (ワークスペースの価格のみ)</translation>
    </message>
    <message>
        <source>%1, commit %2</source>
        <translation>%1、コミット %2</translation>
    </message>
    <message>
        <source>Catalogue date</source>
        <translation>カタログの日付</translation>
    </message>
    <message>
        <source>simulated; workspace price</source>
        <translation>シミュレーション、ワークスペースの価格</translation>
    </message>
    <message>
        <source>workspace price (not in the catalogue)</source>
        <translation>ワークスペースの価格 (カタログにありません)</translation>
    </message>
    <message>
        <source>catalogue entry %1</source>
        <translation>カタログ項目 %1</translation>
    </message>
    <message>
        <source>input %1, output %2 per million tokens</source>
        <translation>100 万トークンあたり入力 %1、出力 %2</translation>
    </message>
    <message>
        <source>%1: %2 = %3 (catalogue: %4)</source>
        <translation>%1: %2 = %3 (カタログ: %4)</translation>
    </message>
    <message>
        <source>no price</source>
        <translation>価格なし</translation>
    </message>
    <message>
        <source>Judge–human agreement</source>
        <translation>ジャッジと人間の一致</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>ターゲット</translation>
    </message>
    <message>
        <source>Judge</source>
        <translation>ジャッジ</translation>
    </message>
    <message>
        <source>n</source>
        <translation>n</translation>
    </message>
    <message>
        <source>Agreement</source>
        <translation>一致率</translation>
    </message>
    <message>
        <source>κ</source>
        <translation>κ</translation>
    </message>
    <message>
        <source>all judges</source>
        <translation>すべてのジャッジ</translation>
    </message>
    <message>
        <source>How often the judges&apos; pass/fail matched people&apos;s ratings (4 or 5 stars count as a pass), over the n answers both graded; κ is Cohen&apos;s kappa: 1 is perfect agreement, 0 what chance would give.</source>
        <translation>ジャッジの合格/不合格が人の評価（星 4 または 5 を合格とする）と一致した頻度。両方が採点した n 件の回答が対象です。κ は Cohen&apos;s κ で、1 は完全一致、0 は偶然と同程度です。</translation>
    </message>
</context>
<context>
    <name>RequestBuilder</name>
    <message>
        <source>Unknown reasoning effort &quot;%1&quot; (expected low, medium or high)</source>
        <translation>不明な推論の強度 &quot;%1&quot; です (low、medium、high のいずれかが必要です)</translation>
    </message>
    <message>
        <source>Reasoning effort &quot;%1&quot; needs a thinking budget of %2 tokens, but max_tokens is %3; raise max_tokens above %2</source>
        <translation>推論の強度 &quot;%1&quot; には %2 トークンの思考予算が必要ですが、max_tokens は %3 です。max_tokens を %2 より大きくしてください</translation>
    </message>
    <message>
        <source>Provider %1 uses the embedded simulator, which is not running</source>
        <translation>プロバイダー %1 は組み込みシミュレーターを使用しますが、シミュレーターが動作していません</translation>
    </message>
    <message>
        <source>Provider %1: &quot;%2&quot; is not an http(s) URL</source>
        <translation>プロバイダー %1: &quot;%2&quot; は http(s) URL ではありません</translation>
    </message>
    <message>
        <source>Provider %1: the base URL must not carry credentials, a query or a fragment; keys belong in the keychain or an environment variable</source>
        <translation>プロバイダー %1: ベース URL に認証情報、クエリ、フラグメントを含めることはできません。キーはキーチェーンまたは環境変数に置いてください</translation>
    </message>
    <message>
        <source>Target %1 names no model</source>
        <translation>ターゲット %1 にモデルが指定されていません</translation>
    </message>
    <message>
        <source>No API key for provider %1: set %2 in the environment or store it with &quot;slopscope-cli keys set %2&quot;</source>
        <translation>プロバイダー %1 の API キーがありません: 環境変数 %2 を設定するか、&quot;slopscope-cli keys set %2&quot; で保存してください</translation>
    </message>
    <message>
        <source>Provider %1: %2</source>
        <translation>プロバイダー %1: %2</translation>
    </message>
    <message>
        <source>Provider %1: the header %2 needs the secret %3: set %3 in the environment or store it with &quot;slopscope-cli keys set %3&quot;</source>
        <translation>プロバイダー %1: ヘッダー %2 にはシークレット %3 が必要です: %3 を環境に設定するか、&quot;slopscope-cli keys set %3&quot; で保存してください</translation>
    </message>
    <message>
        <source>the API key</source>
        <translation>API キー</translation>
    </message>
    <message>
        <source>the secret header %1</source>
        <translation>シークレットヘッダー %1</translation>
    </message>
    <message>
        <source>Refusing to send %1 of provider %2 over plain HTTP to %3; use https, or mark the provider &quot;allow_insecure_key&quot; if this network is trusted</source>
        <translation>プロバイダー %2 の %1 を平文の HTTP で %3 に送信することを拒否しました。https を使用するか、このネットワークが信頼できる場合はプロバイダーに &quot;allow_insecure_key&quot; を指定してください</translation>
    </message>
    <message>
        <source>Anthropic&apos;s extended thinking allows only tool_choice &quot;auto&quot; or &quot;none&quot;; drop reasoning effort &quot;%1&quot; or the forced tool choice</source>
        <translation>Anthropic の拡張思考では tool_choice に &quot;auto&quot; または &quot;none&quot; しか使えません。推論エフォート &quot;%1&quot; か強制ツール選択を外してください</translation>
    </message>
</context>
<context>
    <name>RetryPolicy</name>
    <message>
        <source>quota or spend limit reached; not retried</source>
        <translation>クォータまたは支出制限に達したため、再試行しません</translation>
    </message>
    <message>
        <source>the provider asks to retry after %1; not waiting that long</source>
        <translation>プロバイダーは %1 後の再試行を求めていますが、そこまで待ちません</translation>
    </message>
</context>
<context>
    <name>RoutingFetch</name>
    <message>
        <source>The workspace has no usable target &quot;%1&quot; to ask.</source>
        <translation>ワークスペースには問い合わせ先として使えるターゲット「%1」がありません。</translation>
    </message>
</context>
<context>
    <name>RoutingPolicy</name>
    <message>
        <source>%1: expected an object</source>
        <translation>%1: オブジェクトが必要です</translation>
    </message>
    <message>
        <source>%1: unknown kind &quot;%2&quot; (expected cascade, by-tag or best-of-n)</source>
        <translation>%1: 不明な種類 &quot;%2&quot; です (cascade、by-tag、best-of-n のいずれかが必要です)</translation>
    </message>
    <message>
        <source>%1: not used by a %2 policy</source>
        <translation>%1: %2 ポリシーでは使用されません</translation>
    </message>
    <message>
        <source>%1[%2]: expected a target id</source>
        <translation>%1[%2]: ターゲット ID が必要です</translation>
    </message>
    <message>
        <source>%1: a policy needs a name</source>
        <translation>%1: ポリシーには名前が必要です</translation>
    </message>
    <message>
        <source>%1: a cascade needs at least one stage</source>
        <translation>%1: cascade には少なくとも 1 つのステージが必要です</translation>
    </message>
    <message>
        <source>%1.target: empty target id</source>
        <translation>%1.target: ターゲット ID が空です</translation>
    </message>
    <message>
        <source>%1.validator: the last stage has nothing to escalate to</source>
        <translation>%1.validator: 最後のステージにはエスカレート先がありません</translation>
    </message>
    <message>
        <source>%1.validator: missing (a target id or &quot;%2&quot; is required before another stage)</source>
        <translation>%1.validator: ありません (次のステージの前にはターゲット ID または &quot;%2&quot; が必要です)</translation>
    </message>
    <message>
        <source>%1.threshold: must be between 0 and 1</source>
        <translation>%1.threshold: 0 から 1 の間である必要があります</translation>
    </message>
    <message>
        <source>%1: empty target id</source>
        <translation>%1: ターゲット ID が空です</translation>
    </message>
    <message>
        <source>%1.tag: empty tag</source>
        <translation>%1.tag: タグが空です</translation>
    </message>
    <message>
        <source>%1.tag: tag &quot;%2&quot; already has a rule</source>
        <translation>%1.tag: タグ &quot;%2&quot; には既にルールがあります</translation>
    </message>
    <message>
        <source>%1: best-of-n needs at least two candidates</source>
        <translation>%1: best-of-n には少なくとも 2 つの候補が必要です</translation>
    </message>
    <message>
        <source>%1[%2]: empty target id</source>
        <translation>%1[%2]: ターゲット ID が空です</translation>
    </message>
    <message>
        <source>%1[%2]: &quot;%3&quot; is already a candidate</source>
        <translation>%1[%2]: &quot;%3&quot; は既に候補に含まれています</translation>
    </message>
    <message>
        <source>%1: a routing policy file must be a JSON object</source>
        <translation>%1: ルーティングポリシーファイルは JSON オブジェクトである必要があります</translation>
    </message>
    <message>
        <source>version: %1 is newer than this Slopscope reads (%2)</source>
        <translation>version: %1 はこの Slopscope が読めるバージョン (%2) より新しいです</translation>
    </message>
    <message>
        <source>%1.name: duplicate policy name &quot;%2&quot;</source>
        <translation>%1.name: ポリシー名 &quot;%2&quot; が重複しています</translation>
    </message>
    <message>
        <source>Cannot open routing policies %1: %2</source>
        <translation>ルーティングポリシー %1 を開けません: %2</translation>
    </message>
    <message>
        <source>%1: larger than %2 bytes, not a policy file</source>
        <translation>%1: %2 バイトを超えているため、ポリシーファイルではありません</translation>
    </message>
    <message>
        <source>Cannot write routing policies %1: %2</source>
        <translation>ルーティングポリシー %1 を書き込めません: %2</translation>
    </message>
</context>
<context>
    <name>RunCommand</name>
    <message>
        <source>History database: %1. Stopping the run.</source>
        <translation>履歴データベース: %1。実行を停止します。</translation>
    </message>
    <message>
        <source>Running %1: %2 request(s), run %3…</source>
        <translation>%1 を実行中: リクエスト %2 件、実行 %3…</translation>
    </message>
    <message>
        <source>target</source>
        <translation>ターゲット</translation>
    </message>
    <message>
        <source>quality</source>
        <translation>品質</translation>
    </message>
    <message>
        <source>95% interval</source>
        <translation>95% 区間</translation>
    </message>
    <message>
        <source>$/1k cases</source>
        <translation>$/1k ケース</translation>
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
        <translation>支出 $%1、リクエスト %3 件中 %2 件が失敗%4</translation>
    </message>
    <message>
        <source>Recorded as run %1 in %2.</source>
        <translation>%2 に実行 %1 として記録しました。</translation>
    </message>
    <message>
        <source>Interrupted: the run did not complete.</source>
        <translation>中断されました: 実行は完了しませんでした。</translation>
    </message>
    <message>
        <source>No request was answered: the run could not complete.</source>
        <translation>応答のあったリクエストがありません: 実行を完了できませんでした。</translation>
    </message>
    <message>
        <source>Gate failed: the spend cap of $%1 was reached before the run finished.</source>
        <translation>ゲート不合格: 実行が終わる前に支出上限 $%1 に達しました。</translation>
    </message>
    <message>
        <source>Gate failed: %1</source>
        <translation>ゲート不合格: %1</translation>
    </message>
    <message>
        <source>Run a suite against targets and print one line per target.</source>
        <translation>ターゲットに対してスイートを実行し、ターゲットごとに 1 行を出力します。</translation>
    </message>
    <message>
        <source>Use the bundled demo workspace and the simulator.</source>
        <translation>同梱のデモワークスペースとシミュレーターを使用します。</translation>
    </message>
    <message>
        <source>Suite file or demo suite name.</source>
        <translation>スイートファイルまたはデモスイート名。</translation>
    </message>
    <message>
        <source>suite</source>
        <translation>スイート</translation>
    </message>
    <message>
        <source>Workspace file.</source>
        <translation>ワークスペースファイル。</translation>
    </message>
    <message>
        <source>file</source>
        <translation>ファイル</translation>
    </message>
    <message>
        <source>Comma-separated target ids.</source>
        <translation>カンマ区切りのターゲット ID。</translation>
    </message>
    <message>
        <source>ids</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Samples per case.</source>
        <translation>ケースあたりのサンプル数。</translation>
    </message>
    <message>
        <source>k</source>
        <translation>k</translation>
    </message>
    <message>
        <source>Requests in flight at once, over all providers.</source>
        <translation>全プロバイダー合計で同時に送信中にできるリクエスト数。</translation>
    </message>
    <message>
        <source>Also run each case&apos;s rewordings.</source>
        <translation>各ケースの言い換えも実行します。</translation>
    </message>
    <message>
        <source>Measure providers one after another (clean speed figures).</source>
        <translation>プロバイダーを 1 つずつ順に測定します (速度の数値が正確になります)。</translation>
    </message>
    <message>
        <source>Seed of the dispatch order and statistics.</source>
        <translation>送信順序と統計に使うシード。</translation>
    </message>
    <message>
        <source>s</source>
        <translation>s</translation>
    </message>
    <message>
        <source>Stop dispatching once the run has spent this many US dollars (exit 1).</source>
        <translation>実行の支出がこの米ドル額に達したら送信を停止します (終了コード 1)。</translation>
    </message>
    <message>
        <source>usd</source>
        <translation>USD</translation>
    </message>
    <message>
        <source>Exit 1 when a target&apos;s figure is under a minimum: quality=0.8, quality_ci_low=0.7, TARGET:quality=80%. May be repeated.</source>
        <translation>ターゲットの指標が最小値を下回ったら終了コード 1 で終了します: quality=0.8、quality_ci_low=0.7、TARGET:quality=80%。複数回指定できます。</translation>
    </message>
    <message>
        <source>gate</source>
        <translation>ゲート</translation>
    </message>
    <message>
        <source>Run only slice I of N of the cases (stable by case id), e.g. 2/4.</source>
        <translation>ケースを N 分割したうちの I 番目だけを実行します (ケース ID により安定)。例: 2/4。</translation>
    </message>
    <message>
        <source>i/n</source>
        <translation>i/n</translation>
    </message>
    <message>
        <source>Target that grades llm-rubric, factuality and select-best assertions.</source>
        <translation>llm-rubric、factuality、select-best のアサーションを採点するターゲット。</translation>
    </message>
    <message>
        <source>Unexpected argument &quot;%1&quot;.</source>
        <translation>予期しない引数 &quot;%1&quot; です。</translation>
    </message>
    <message>
        <source>Give either --demo or --workspace FILE.</source>
        <translation>--demo または --workspace FILE のどちらかを指定してください。</translation>
    </message>
    <message>
        <source>--repeat takes a whole number of at least 1.</source>
        <translation>--repeat には 1 以上の整数を指定してください。</translation>
    </message>
    <message>
        <source>--concurrency takes a whole number from 1 to 4096.</source>
        <translation>--concurrency には 1 から 4096 までの整数を指定してください。</translation>
    </message>
    <message>
        <source>--seed takes a whole number.</source>
        <translation>--seed には整数を指定してください。</translation>
    </message>
    <message>
        <source>--max-cost takes a positive number of US dollars, e.g. 0.50.</source>
        <translation>--max-cost には正の米ドル額を指定してください (例: 0.50)。</translation>
    </message>
    <message>
        <source>Shard %1/%2 holds none of the suite&apos;s %3 case(s); nothing to run.</source>
        <translation>シャード %1/%2 にはスイートの %3 件のケースが 1 つも含まれません。実行するものはありません。</translation>
    </message>
    <message>
        <source>--judge %1: the workspace has no such target.</source>
        <translation>--judge %1: ワークスペースにそのターゲットはありません。</translation>
    </message>
    <message>
        <source>No suite &quot;%1&quot;: give a file, or one of the demo suites facts, code, benchmark, tools, chains.</source>
        <translation>スイート &quot;%1&quot; はありません: ファイルを指定するか、デモスイート facts、code、benchmark、tools、chains のいずれかを指定してください。</translation>
    </message>
    <message>
        <source>Send again an answer that broke off mid-stream; the new answer replaces it (costs tokens twice).</source>
        <translation>ストリームの途中で途切れた回答を再送信します。新しい回答で置き換えます（トークンは二重にかかります）。</translation>
    </message>
    <message>
        <source>Do not open the first requests&apos; connections before sending them (their TTFT then includes connection set-up, as a cold client&apos;s would).</source>
        <translation>最初のリクエストの接続を送信前に確立しない（その TTFT には、コールドクライアントと同様に接続確立の時間が含まれます）。</translation>
    </message>
</context>
<context>
    <name>RunGate</name>
    <message>
        <source>--shard &quot;%1&quot;: expected I/N with 1 ≤ I ≤ N, e.g. 2/4.</source>
        <translation>--shard &quot;%1&quot;: 1 ≤ I ≤ N を満たす I/N の形式が必要です (例: 2/4)。</translation>
    </message>
    <message>
        <source>--fail-under &quot;%1&quot;: expected FIGURE=VALUE, e.g. quality=0.8.</source>
        <translation>--fail-under &quot;%1&quot;: FIGURE=VALUE の形式が必要です (例: quality=0.8)。</translation>
    </message>
    <message>
        <source>--fail-under &quot;%1&quot;: the target before &apos;:&apos; is empty.</source>
        <translation>--fail-under &quot;%1&quot;: &apos;:&apos; の前のターゲットが空です。</translation>
    </message>
    <message>
        <source>--fail-under &quot;%1&quot;: unknown figure &quot;%2&quot; (use quality or quality_ci_low).</source>
        <translation>--fail-under &quot;%1&quot;: 不明な指標 &quot;%2&quot; です (quality または quality_ci_low を使ってください)。</translation>
    </message>
    <message>
        <source>--fail-under &quot;%1&quot;: &quot;%2&quot; is not a number.</source>
        <translation>--fail-under &quot;%1&quot;: &quot;%2&quot; は数値ではありません。</translation>
    </message>
    <message>
        <source>--fail-under &quot;%1&quot;: the minimum must lie between 0 and 1 (or 0% and 100%).</source>
        <translation>--fail-under &quot;%1&quot;: 最小値は 0 から 1 (または 0% から 100%) の間である必要があります。</translation>
    </message>
    <message>
        <source>%1: no %2 to check (no graded case)</source>
        <translation>%1: 検査する %2 がありません (採点済みのケースなし)</translation>
    </message>
    <message>
        <source>%1: %2 %3 is under %4</source>
        <translation>%1: %2 %3 が %4 を下回っています</translation>
    </message>
    <message>
        <source>%1: no such target in this run</source>
        <translation>%1: この実行にそのようなターゲットはありません</translation>
    </message>
    <message>
        <source>(any)</source>
        <translation>(任意)</translation>
    </message>
</context>
<context>
    <name>RunOutputs</name>
    <message>
        <source>History database (default: the one the app uses).</source>
        <translation>履歴データベース (既定: アプリが使用するもの)。</translation>
    </message>
    <message>
        <source>file</source>
        <translation>ファイル</translation>
    </message>
    <message>
        <source>Do not record the run in any database.</source>
        <translation>実行をどのデータベースにも記録しません。</translation>
    </message>
    <message>
        <source>Write one JSON line per result as it is recorded.</source>
        <translation>結果が記録されるたびに、結果ごとに 1 行の JSON を書き出します。</translation>
    </message>
    <message>
        <source>Write the per-target summary (JSON).</source>
        <translation>ターゲットごとの要約 (JSON) を書き出します。</translation>
    </message>
    <message>
        <source>file.json</source>
        <translation>ファイル.json</translation>
    </message>
    <message>
        <source>Write a report: .html, .pdf or .md. May be repeated.</source>
        <translation>レポートを書き出します: .html、.pdf、.md。複数回指定できます。</translation>
    </message>
    <message>
        <source>Write the price/quality chart: .png, .svg or .pdf. May be repeated.</source>
        <translation>価格/品質グラフを書き出します: .png、.svg、.pdf。複数回指定できます。</translation>
    </message>
    <message>
        <source>Write one CSV row per result.</source>
        <translation>結果ごとに 1 行の CSV を書き出します。</translation>
    </message>
    <message>
        <source>Give --db FILE or --no-db, not both.</source>
        <translation>--db FILE と --no-db のどちらか一方だけを指定してください。</translation>
    </message>
    <message>
        <source>--report %1: the file must end in .html, .pdf or .md.</source>
        <translation>--report %1: ファイルの拡張子は .html、.pdf、.md のいずれかである必要があります。</translation>
    </message>
    <message>
        <source>--chart %1: the file must end in .png, .svg or .pdf.</source>
        <translation>--chart %1: ファイルの拡張子は .png、.svg、.pdf のいずれかである必要があります。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 を書き込めません: %2</translation>
    </message>
    <message>
        <source>%1 result(s) could not be saved to %2; they are left out of %3.</source>
        <translation>%1 件の結果を %2 に保存できなかったため、%3 から除外しています。</translation>
    </message>
</context>
<context>
    <name>RunSnapshot</name>
    <message>
        <source>Run %1: its %2 snapshot cannot be read back.</source>
        <translation>実行 %1: %2 のスナップショットを読み戻せません。</translation>
    </message>
    <message>
        <source>The run used provider &quot;%1&quot;, which the workspace lacks.</source>
        <translation>この実行ではプロバイダー &quot;%1&quot; を使用しましたが、ワークスペースにありません。</translation>
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
        <translation>%1 の検索インデックスを更新できません: %2</translation>
    </message>
</context>
<context>
    <name>SimAnswerKey</name>
    <message>
        <source>%1: a suite must be an object with &quot;name&quot; and &quot;cases&quot;</source>
        <translation>%1: スイートは &quot;name&quot; と &quot;cases&quot; を持つオブジェクトである必要があります</translation>
    </message>
    <message>
        <source>%1: %2: expected an object</source>
        <translation>%1: %2: オブジェクトが必要です</translation>
    </message>
    <message>
        <source>%1: no prompt and no user message</source>
        <translation>%1: プロンプトもユーザーメッセージもありません</translation>
    </message>
    <message>
        <source>%1: the suite has no cases</source>
        <translation>%1: スイートにケースがありません</translation>
    </message>
    <message>
        <source>%1: cannot open: %2</source>
        <translation>%1: 開けません: %2</translation>
    </message>
</context>
<context>
    <name>SimFault</name>
    <message>
        <source>unknown fault &quot;%1&quot;</source>
        <translation>不明な障害 &quot;%1&quot;</translation>
    </message>
    <message>
        <source>fault parameter &quot;%1&quot; is not of the form name=value</source>
        <translation>障害パラメーター &quot;%1&quot; が name=value の形式ではありません</translation>
    </message>
    <message>
        <source>fault parameter &quot;%1&quot; needs a non-negative number</source>
        <translation>障害パラメーター &quot;%1&quot; には負でない数値が必要です</translation>
    </message>
    <message>
        <source>unknown fault parameter &quot;%1&quot;</source>
        <translation>不明な障害パラメーター &quot;%1&quot;</translation>
    </message>
    <message>
        <source>server_error status must be 500, 502 or 503</source>
        <translation>server_error のステータスは 500、502、503 のいずれかである必要があります</translation>
    </message>
    <message>
        <source>redirect status must be 301, 302, 307 or 308</source>
        <translation>redirect のステータスは 301、302、307、308 のいずれかである必要があります</translation>
    </message>
    <message>
        <source>port must be at most 65535</source>
        <translation>port は 65535 以下である必要があります</translation>
    </message>
</context>
<context>
    <name>SimLog</name>
    <message>
        <source>%1: cannot write the log: %2</source>
        <translation>%1: ログを書き込めません: %2</translation>
    </message>
</context>
<context>
    <name>SimPersonas</name>
    <message>
        <source>%1: expected an object</source>
        <translation>%1: オブジェクトが必要です</translation>
    </message>
    <message>
        <source>%1: probabilities must be between 0 and 1</source>
        <translation>%1: 確率は 0 から 1 の間である必要があります</translation>
    </message>
    <message>
        <source>%1: unknown dialect &quot;%2&quot;</source>
        <translation>%1: 不明な方言 &quot;%2&quot;</translation>
    </message>
    <message>
        <source>%1: expected dialect names</source>
        <translation>%1: 方言名が必要です</translation>
    </message>
    <message>
        <source>%1: median must be 0 to 600000 ms and spread 0 to 3</source>
        <translation>%1: 中央値は 0〜600000 ms、ばらつきは 0〜3 である必要があります</translation>
    </message>
    <message>
        <source>%1: must be between 0.1 and 1000000</source>
        <translation>%1: 0.1 から 1000000 の間である必要があります</translation>
    </message>
    <message>
        <source>%1: spread must be between 0 and 3</source>
        <translation>%1: ばらつきは 0 から 3 の間である必要があります</translation>
    </message>
    <message>
        <source>%1: a price cannot be negative</source>
        <translation>%1: 価格を負の値にすることはできません</translation>
    </message>
    <message>
        <source>%1.categories: expected an object</source>
        <translation>%1.categories: オブジェクトが必要です</translation>
    </message>
    <message>
        <source>%1: probability must be between 0 and 1</source>
        <translation>%1: 確率は 0 から 1 の間である必要があります</translation>
    </message>
    <message>
        <source>%1: expected an object with a &quot;personas&quot; array</source>
        <translation>%1: &quot;personas&quot; 配列を持つオブジェクトが必要です</translation>
    </message>
    <message>
        <source>%1: %2: duplicate persona id &quot;%3&quot;</source>
        <translation>%1: %2: ペルソナ ID &quot;%3&quot; が重複しています</translation>
    </message>
    <message>
        <source>%1: the &quot;personas&quot; array is empty</source>
        <translation>%1: &quot;personas&quot; 配列が空です</translation>
    </message>
    <message>
        <source>%1: cannot open: %2</source>
        <translation>%1: 開けません: %2</translation>
    </message>
</context>
<context>
    <name>Slopscope::AddTargetDialog</name>
    <message>
        <source>Add Target</source>
        <translation>ターゲットを追加</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>ソース</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>モデル</translation>
    </message>
    <message>
        <source>choose or type a model</source>
        <translation>モデルを選択または入力</translation>
    </message>
    <message>
        <source>Target id</source>
        <translation>ターゲット ID</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>ラベル</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>色</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>不明</translation>
    </message>
    <message>
        <source>Input price per million tokens</source>
        <translation>100 万トークンあたりの入力価格</translation>
    </message>
    <message>
        <source>Output price per million tokens</source>
        <translation>100 万トークンあたりの出力価格</translation>
    </message>
    <message>
        <source>provider default</source>
        <translation>プロバイダーの既定値</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>Maximum output tokens</source>
        <translation>最大出力トークン数</translation>
    </message>
    <message>
        <source>Reasoning effort</source>
        <translation>推論の強度</translation>
    </message>
    <message>
        <source>&amp;Source:</source>
        <translation>ソース(&amp;S):</translation>
    </message>
    <message>
        <source>&amp;Model:</source>
        <translation>モデル(&amp;M):</translation>
    </message>
    <message>
        <source>Target i&amp;d:</source>
        <translation>ターゲット ID(&amp;D):</translation>
    </message>
    <message>
        <source>&amp;Label:</source>
        <translation>ラベル(&amp;L):</translation>
    </message>
    <message>
        <source>&amp;Colour:</source>
        <translation>色(&amp;C):</translation>
    </message>
    <message>
        <source>&amp;Input $/Mtok:</source>
        <translation>入力 $/Mtok(&amp;I):</translation>
    </message>
    <message>
        <source>&amp;Output $/Mtok:</source>
        <translation>出力 $/Mtok(&amp;O):</translation>
    </message>
    <message>
        <source>&amp;Temperature:</source>
        <translation>温度(&amp;T):</translation>
    </message>
    <message>
        <source>Max to&amp;kens:</source>
        <translation>最大トークン数(&amp;K):</translation>
    </message>
    <message>
        <source>&amp;Reasoning effort:</source>
        <translation>推論の労力(&amp;R):</translation>
    </message>
    <message>
        <source>%1 (in this workspace)</source>
        <translation>%1 (このワークスペース)</translation>
    </message>
    <message>
        <source>%1 (preset, %2)</source>
        <translation>%1 (プリセット、%2)</translation>
    </message>
    <message>
        <source>%1 (preset)</source>
        <translation>%1 (プリセット)</translation>
    </message>
    <message>
        <source>Looking for local servers…</source>
        <translation>ローカルサーバーを探しています…</translation>
    </message>
    <message numerus="yes">
        <source>%1 at %2 (found, %n model(s))</source>
        <translation>
            <numerusform>%2 の %1 (検出済み、モデル %n 個)</numerusform>
        </translation>
    </message>
    <message>
        <source>No local server answered on its default port.</source>
        <translation>既定のポートで応答したローカルサーバーはありませんでした。</translation>
    </message>
    <message numerus="yes">
        <source>Found %n local server(s).</source>
        <translation>
            <numerusform>ローカルサーバーが %n 台見つかりました。</numerusform>
        </translation>
    </message>
    <message>
        <source>Leave a price empty when it is unknown.</source>
        <translation>不明な価格は空欄のままにしてください。</translation>
    </message>
    <message>
        <source>No price catalogue: leave a price empty when it is unknown.</source>
        <translation>価格カタログがありません: 不明な価格は空欄のままにしてください。</translation>
    </message>
    <message>
        <source>“%1” is not in the price catalogue of %2: leave the prices empty for unknown, or enter them.</source>
        <translation>「%1」は %2 版の価格カタログにありません: 不明な場合は価格を空欄のままにするか、入力してください。</translation>
    </message>
    <message>
        <source>From the price catalogue of %1 (%2), for short prompts; edit to override.</source>
        <translation>%1 版の価格カタログ (%2) の短いプロンプト向けの価格です。上書きするには編集してください。</translation>
    </message>
    <message>
        <source>From the price catalogue of %1 (%2); edit to override.</source>
        <translation>%1 版の価格カタログ (%2) の価格です。上書きするには編集してください。</translation>
    </message>
    <message>
        <source>Target Colour</source>
        <translation>ターゲットの色</translation>
    </message>
    <message>
        <source>Choose where the model runs.</source>
        <translation>モデルを実行する場所を選択してください。</translation>
    </message>
    <message>
        <source>Choose or type a model.</source>
        <translation>モデルを選択または入力してください。</translation>
    </message>
    <message>
        <source>Give the target an id.</source>
        <translation>ターゲットに ID を付けてください。</translation>
    </message>
    <message>
        <source>A target with the id “%1” already exists: choose another id.</source>
        <translation>ID「%1」のターゲットは既に存在します: 別の ID を選んでください。</translation>
    </message>
    <message>
        <source>“%1” is not a valid %2.</source>
        <translation>「%1」は%2として有効な値ではありません。</translation>
    </message>
</context>
<context>
    <name>Slopscope::AppearanceSettingsPage</name>
    <message>
        <source>Theme</source>
        <translation>テーマ</translation>
    </message>
    <message>
        <source>&amp;System (the desktop&apos;s style and colours)</source>
        <translation>システム (デスクトップのスタイルと配色)(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>ライト(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>ダーク(&amp;D)</translation>
    </message>
    <message>
        <source>The theme changes at once and is kept for the next start.</source>
        <translation>テーマはすぐに切り替わり、次回の起動時にも維持されます。</translation>
    </message>
</context>
<context>
    <name>Slopscope::ArenaDialog</name>
    <message>
        <source>Blind Arena</source>
        <translation>ブラインドアリーナ</translation>
    </message>
    <message>
        <source>&amp;Vote</source>
        <translation>投票(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Ranking</source>
        <translation>ランキング(&amp;R)</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>質問</translation>
    </message>
    <message>
        <source>Answer A</source>
        <translation>回答 A</translation>
    </message>
    <message>
        <source>Answer B</source>
        <translation>回答 B</translation>
    </message>
    <message>
        <source>Note (optional), saved with the next vote</source>
        <translation>メモ（任意）、次の投票と一緒に保存されます</translation>
    </message>
    <message>
        <source>← A is better</source>
        <translation>← A の方が良い</translation>
    </message>
    <message>
        <source>Tie</source>
        <translation>引き分け</translation>
    </message>
    <message>
        <source>B is better →</source>
        <translation>B の方が良い →</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>スキップ</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>元に戻す</translation>
    </message>
    <message>
        <source>Keys: ← or 1 for A, ↓, T or 2 for a tie, → or 3 for B, S to skip, Ctrl+Z to undo. Which target wrote which answer shows only in the Ranking.</source>
        <translation>キー: ← または 1 で A、↓、T または 2 で引き分け、→ または 3 で B、S でスキップ、Ctrl+Z で元に戻す。どのターゲットがどの回答を書いたかは、ランキングにのみ表示されます。</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>ターゲット</translation>
    </message>
    <message>
        <source>Strength</source>
        <translation>強さ</translation>
    </message>
    <message>
        <source>95% interval</source>
        <translation>95% 区間</translation>
    </message>
    <message>
        <source>Wins</source>
        <translation>勝ち</translation>
    </message>
    <message>
        <source>Ties</source>
        <translation>引き分け</translation>
    </message>
    <message>
        <source>Losses</source>
        <translation>負け</translation>
    </message>
    <message>
        <source>Votes</source>
        <translation>投票数</translation>
    </message>
    <message numerus="yes">
        <source>Pair %1 of %2 · %n vote(s) so far</source>
        <translation>
            <numerusform>ペア %1 / %2 · これまでの投票 %n 件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Nothing to compare: the arena needs answers from at least two targets to the same case. · %n vote(s)</source>
        <translation>
            <numerusform>比較対象がありません: アリーナには、同じケースに対する 2 つ以上のターゲットの回答が必要です。 · 投票 %n 件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>All %1 pairs seen · %n vote(s). See the Ranking tab.</source>
        <translation>
            <numerusform>全 %1 ペアを表示済み · 投票 %n 件。ランキングタブを参照してください。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Ranking %n vote(s)…</source>
        <translation>
            <numerusform>%n 件の投票からランキングを計算中…</numerusform>
        </translation>
    </message>
    <message>
        <source>No votes yet: the ranking appears once answers have been compared.</source>
        <translation>まだ投票がありません: 回答を比較するとランキングが表示されます。</translation>
    </message>
    <message numerus="yes">
        <source>Bradley–Terry strengths from %n vote(s) (a tie counts half to each), with 95% bootstrap intervals. Strengths sum to 1; overlapping intervals mean the votes do not separate the targets.</source>
        <translation>
            <numerusform>%n 件の投票による Bradley–Terry 強度（引き分けは双方に半分ずつ加算）と 95% ブートストラップ区間。強度の合計は 1 です。区間が重なっている場合、投票ではターゲットを区別できていません。</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 – %2</source>
        <translation>%1 – %2</translation>
    </message>
    <message>
        <source>This session&apos;s run (not recorded)</source>
        <translation>このセッションの実行(記録されません)</translation>
    </message>
    <message>
        <source>Run to vote on</source>
        <translation>投票する実行</translation>
    </message>
    <message>
        <source>Vote on another recorded run: suite runs of two or more targets</source>
        <translation>記録済みの別の実行に投票: 2 つ以上のターゲットを含むスイート実行</translation>
    </message>
    <message>
        <source>R&amp;un:</source>
        <translation>実行(&amp;U):</translation>
    </message>
    <message>
        <source>Cannot list the recorded runs: %1</source>
        <translation>記録済みの実行を一覧表示できません: %1</translation>
    </message>
    <message>
        <source>Cannot open the run: %1</source>
        <translation>実行を開けません: %1</translation>
    </message>
    <message>
        <source>Blind Arena (votes kept until closed: this run is not recorded)</source>
        <translation>ブラインド・アリーナ(投票は閉じるまで保持: この実行は記録されません)</translation>
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
            <numerusform>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;開始 %2&lt;br&gt;ターゲット %n 件: %3</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Slopscope::ArenaSession</name>
    <message>
        <source>(The prompt of case %1 is not in the run&apos;s suite.)</source>
        <translation>（ケース %1 のプロンプトは、この実行のスイートにありません。）</translation>
    </message>
</context>
<context>
    <name>Slopscope::AssertionsEditor</name>
    <message>
        <source>Type</source>
        <translation>種類</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>値</translation>
    </message>
    <message>
        <source>Threshold</source>
        <translation>しきい値</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>重み</translation>
    </message>
    <message>
        <source>Add assertion</source>
        <translation>アサーションを追加</translation>
    </message>
    <message>
        <source>Remove assertion</source>
        <translation>アサーションを削除</translation>
    </message>
    <message>
        <source>Assertion type</source>
        <translation>アサーションの種類</translation>
    </message>
    <message>
        <source>value</source>
        <translation>値</translation>
    </message>
    <message>
        <source>Assertion %1 (%2): the value is not valid JSON: %3</source>
        <translation>アサーション %1 (%2): 値が有効な JSON ではありません: %3</translation>
    </message>
    <message>
        <source>Assertion %1: the threshold &quot;%2&quot; is not a number</source>
        <translation>アサーション %1: しきい値 &quot;%2&quot; は数値ではありません</translation>
    </message>
    <message>
        <source>Assertion %1: the weight &quot;%2&quot; is not a number of at least 0</source>
        <translation>アサーション %1: 重み &quot;%2&quot; は 0 以上の数値ではありません</translation>
    </message>
</context>
<context>
    <name>Slopscope::CaseForm</name>
    <message>
        <source>Case id</source>
        <translation>ケース ID</translation>
    </message>
    <message>
        <source>&amp;Id</source>
        <translation>ID(&amp;I)</translation>
    </message>
    <message>
        <source>id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>説明</translation>
    </message>
    <message>
        <source>D&amp;escription</source>
        <translation>説明(&amp;E)</translation>
    </message>
    <message>
        <source>description</source>
        <translation>説明</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>プロンプト</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>メッセージ</translation>
    </message>
    <message>
        <source>Input kind</source>
        <translation>入力の種類</translation>
    </message>
    <message>
        <source>In&amp;put</source>
        <translation>入力(&amp;P)</translation>
    </message>
    <message>
        <source>The question; {{name}} is filled from the variables.</source>
        <translation>質問。{{name}} は変数から埋められます。</translation>
    </message>
    <message>
        <source>messages</source>
        <translation>メッセージ</translation>
    </message>
    <message>
        <source>Variables</source>
        <translation>変数</translation>
    </message>
    <message>
        <source>Varia&amp;bles</source>
        <translation>変数(&amp;B)</translation>
    </message>
    <message>
        <source>variables</source>
        <translation>変数</translation>
    </message>
    <message>
        <source>Reference answer</source>
        <translation>参照回答</translation>
    </message>
    <message>
        <source>&amp;Reference</source>
        <translation>参照(&amp;R)</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>タグ</translation>
    </message>
    <message>
        <source>comma-separated</source>
        <translation>カンマ区切り</translation>
    </message>
    <message>
        <source>&amp;Tags</source>
        <translation>タグ(&amp;T)</translation>
    </message>
    <message>
        <source>tags</source>
        <translation>タグ</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>重み</translation>
    </message>
    <message>
        <source>How much the case counts in the suite&apos;s score (a number of at least 0)</source>
        <translation>スイートのスコアにおけるこのケースの比重（0 以上の数値）</translation>
    </message>
    <message>
        <source>&amp;Weight</source>
        <translation>重み(&amp;W)</translation>
    </message>
    <message>
        <source>weight</source>
        <translation>重み</translation>
    </message>
    <message>
        <source>Threshold</source>
        <translation>しきい値</translation>
    </message>
    <message>
        <source>none: every assertion must pass</source>
        <translation>なし: すべてのアサーションが合格する必要があります</translation>
    </message>
    <message>
        <source>When set, the case passes when its weighted score reaches it</source>
        <translation>設定すると、重み付きスコアがこの値に達した時点でケースは合格します</translation>
    </message>
    <message>
        <source>T&amp;hreshold</source>
        <translation>しきい値(&amp;H)</translation>
    </message>
    <message>
        <source>threshold</source>
        <translation>しきい値</translation>
    </message>
    <message>
        <source>Time budget</source>
        <translation>制限時間</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>suite default</source>
        <translation>スイートの既定値</translation>
    </message>
    <message>
        <source>An answer slower than this fails &quot;quality within budget&quot;; 0 is the suite default</source>
        <translation>これより遅い回答は &quot;制限時間内の品質&quot; で不合格になります。0 はスイートの既定値です</translation>
    </message>
    <message>
        <source>Time bu&amp;dget</source>
        <translation>制限時間(&amp;D)</translation>
    </message>
    <message>
        <source>time budget</source>
        <translation>制限時間</translation>
    </message>
    <message>
        <source>Metadata</source>
        <translation>メタデータ</translation>
    </message>
    <message>
        <source>&amp;Metadata</source>
        <translation>メタデータ(&amp;M)</translation>
    </message>
    <message>
        <source>metadata</source>
        <translation>メタデータ</translation>
    </message>
    <message>
        <source>Assertions</source>
        <translation>アサーション</translation>
    </message>
    <message>
        <source>A&amp;ssertions</source>
        <translation>アサーション(&amp;S)</translation>
    </message>
    <message>
        <source>assertions</source>
        <translation>アサーション</translation>
    </message>
    <message>
        <source>suite default (%1 ms)</source>
        <translation>スイートの既定値 (%1 ms)</translation>
    </message>
    <message>
        <source>suite default (none)</source>
        <translation>スイートの既定値（なし）</translation>
    </message>
    <message>
        <source>The weight &quot;%1&quot; is not a number of at least 0</source>
        <translation>重み &quot;%1&quot; は 0 以上の数値ではありません</translation>
    </message>
    <message>
        <source>The threshold &quot;%1&quot; is not a number</source>
        <translation>しきい値 &quot;%1&quot; は数値ではありません</translation>
    </message>
    <message>
        <source>Change %1 of case %2</source>
        <translation>ケース %2 の%1を変更</translation>
    </message>
    <message>
        <source>Not a number: &quot;%1&quot;</source>
        <translation>数値ではありません: &quot;%1&quot;</translation>
    </message>
    <message>
        <source>Not a number of at least 0: &quot;%1&quot;</source>
        <translation>0 以上の数値ではありません: &quot;%1&quot;</translation>
    </message>
    <message>
        <source>prompt</source>
        <translation>プロンプト</translation>
    </message>
    <message>
        <source>reference</source>
        <translation>参照回答</translation>
    </message>
    <message>
        <source>input kind</source>
        <translation>入力の種類</translation>
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
        <translation>選択した回答</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>回答</translation>
    </message>
    <message>
        <source>Grades</source>
        <translation>採点</translation>
    </message>
    <message>
        <source>Grades and reasons</source>
        <translation>採点と理由</translation>
    </message>
    <message>
        <source>Chunk arrivals (time →, text received ↑)</source>
        <translation>チャンクの到着 (時間 →、受信テキスト ↑)</translation>
    </message>
    <message>
        <source>Figures</source>
        <translation>数値</translation>
    </message>
    <message>
        <source>Select a cell to see its answer.</source>
        <translation>セルを選択すると回答を表示します。</translation>
    </message>
    <message>
        <source>%1 · %2: no answer yet</source>
        <translation>%1 · %2: まだ回答がありません</translation>
    </message>
    <message>
        <source>%1 · %2 · repeat %3 of %4</source>
        <translation>%1 · %2 · 繰り返し %3/%4</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>[refusal] %1</source>
        <translation>[拒否] %1</translation>
    </message>
    <message>
        <source>Not completed: %1</source>
        <translation>未完了: %1</translation>
    </message>
    <message>
        <source>no error given</source>
        <translation>エラーの説明なし</translation>
    </message>
    <message>
        <source>%1 · score %2</source>
        <translation>%1 · スコア %2</translation>
    </message>
    <message>
        <source>PASS</source>
        <translation>合格</translation>
    </message>
    <message>
        <source>FAIL</source>
        <translation>不合格</translation>
    </message>
    <message>
        <source>waiting for judge</source>
        <translation>ジャッジ待ち</translation>
    </message>
    <message>
        <source>pass</source>
        <translation>合格</translation>
    </message>
    <message>
        <source>fail</source>
        <translation>不合格</translation>
    </message>
    <message>
        <source>• %1: %2 (%3) — %4</source>
        <translation>• %1: %2 (%3) — %4</translation>
    </message>
    <message>
        <source>Scores of all repeats: %1</source>
        <translation>全繰り返しのスコア: %1</translation>
    </message>
    <message>
        <source>TTFT %1</source>
        <translation>TTFT %1</translation>
    </message>
    <message>
        <source>total %1</source>
        <translation>合計 %1</translation>
    </message>
    <message>
        <source>%1%2 tok/s</source>
        <translation>%1%2 tok/s</translation>
    </message>
    <message>
        <source>%1 tokens</source>
        <translation>%1 トークン</translation>
    </message>
    <message numerus="yes">
        <source>%n chunk(s)</source>
        <translation>
            <numerusform>%n チャンク</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n stall(s)</source>
        <translation>
            <numerusform>%n 回の停滞</numerusform>
        </translation>
    </message>
    <message>
        <source>$%1</source>
        <translation>$%1</translation>
    </message>
    <message>
        <source>cost unknown</source>
        <translation>コスト不明</translation>
    </message>
    <message numerus="yes">
        <source>%n attempt(s)</source>
        <translation>
            <numerusform>%n 回試行</numerusform>
        </translation>
    </message>
    <message>
        <source>Chain transcript</source>
        <translation>チェーンのトランスクリプト</translation>
    </message>
    <message>
        <source>[tool call] %1(%2)</source>
        <translation>[ツール呼び出し] %1(%2)</translation>
    </message>
    <message numerus="yes">
        <source>%n turn(s)</source>
        <translation>
            <numerusform>%n ターン</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n request(s)</source>
        <translation>
            <numerusform>%n リクエスト</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Slopscope::ChunkSparkline</name>
    <message>
        <source>Chunk arrivals</source>
        <translation>チャンクの到着</translation>
    </message>
    <message>
        <source>No chunks arrived</source>
        <translation>チャンクは届いていません</translation>
    </message>
    <message numerus="yes">
        <source>%n chunk(s) over %1 ms</source>
        <translation>
            <numerusform>%1 ms で %n チャンク</numerusform>
        </translation>
    </message>
    <message>
        <source>no chunks</source>
        <translation>チャンクなし</translation>
    </message>
</context>
<context>
    <name>Slopscope::DiffView</name>
    <message>
        <source>&amp;Case</source>
        <translation>ケース(&amp;C)</translation>
    </message>
    <message>
        <source>Case to compare</source>
        <translation>比較するケース</translation>
    </message>
    <message>
        <source>&amp;Left</source>
        <translation>左(&amp;L)</translation>
    </message>
    <message>
        <source>Left side</source>
        <translation>左側</translation>
    </message>
    <message>
        <source>&amp;Right</source>
        <translation>右(&amp;R)</translation>
    </message>
    <message>
        <source>Right side</source>
        <translation>右側</translation>
    </message>
    <message>
        <source>Left answer</source>
        <translation>左の回答</translation>
    </message>
    <message>
        <source>Right answer</source>
        <translation>右の回答</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>参照回答</translation>
    </message>
    <message>
        <source>%1 (no answer yet)</source>
        <translation>%1 (まだ回答なし)</translation>
    </message>
    <message>
        <source>%1 (repeat %2)</source>
        <translation>%1 (繰り返し %2)</translation>
    </message>
    <message>
        <source>No results to compare yet.</source>
        <translation>比較する結果はまだありません。</translation>
    </message>
    <message>
        <source>Too long to compare word by word.</source>
        <translation>長すぎるため単語単位で比較できません。</translation>
    </message>
    <message>
        <source>%1 words in common · %2 only left (orange) · %3 only right (blue)</source>
        <translation>共通 %1 語 · 左のみ %2 語 (オレンジ) · 右のみ %3 語 (青)</translation>
    </message>
    <message>
        <source>Comparing…</source>
        <translation>比較中…</translation>
    </message>
</context>
<context>
    <name>Slopscope::DisagreementModel</name>
    <message>
        <source>%1 “%2” is stated by %3; %4 state something else.</source>
        <translation>%1「%2」は %3 が述べています。%4 は異なる内容を述べています。</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>種類</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>値</translation>
    </message>
    <message>
        <source>Stated by</source>
        <translation>述べたターゲット</translation>
    </message>
    <message>
        <source>Others say otherwise</source>
        <translation>異なる内容のターゲット</translation>
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
        <translation>品質 (%)</translation>
    </message>
    <message>
        <source>Median TTFT (ms)</source>
        <translation>TTFT 中央値 (ms)</translation>
    </message>
    <message>
        <source>Decode (tok/s)</source>
        <translation>デコード (tok/s)</translation>
    </message>
    <message>
        <source>Cost per case ($)</source>
        <translation>ケースあたりのコスト ($)</translation>
    </message>
    <message>
        <source>Run started</source>
        <translation>実行開始</translation>
    </message>
    <message>
        <source>Reported model changed</source>
        <translation>報告モデルの変更</translation>
    </message>
    <message>
        <source>95% interval</source>
        <translation>95% 区間</translation>
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
        <translation>プロバイダーはここでは %1 を報告しましたが、前回の実行では %2 でした: モデルが予告なく差し替えられた可能性があります。</translation>
    </message>
    <message>
        <source>Run %1</source>
        <translation>実行 %1</translation>
    </message>
    <message>
        <source>Run started</source>
        <translation>実行開始</translation>
    </message>
    <message>
        <source>Suite</source>
        <translation>スイート</translation>
    </message>
    <message>
        <source>Quality (95% interval)</source>
        <translation>品質（95% 区間）</translation>
    </message>
    <message>
        <source>Median TTFT</source>
        <translation>TTFT 中央値</translation>
    </message>
    <message>
        <source>Decode</source>
        <translation>デコード</translation>
    </message>
    <message>
        <source>Cost/case</source>
        <translation>コスト/ケース</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <source>Reported model</source>
        <translation>報告モデル</translation>
    </message>
</context>
<context>
    <name>Slopscope::DriftView</name>
    <message>
        <source>Drift</source>
        <translation>ドリフト</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>ターゲット</translation>
    </message>
    <message>
        <source>Second chart</source>
        <translation>2 つ目のグラフ</translation>
    </message>
    <message>
        <source>&amp;Limit dates</source>
        <translation>期間を制限(&amp;L)</translation>
    </message>
    <message>
        <source>From</source>
        <translation>開始</translation>
    </message>
    <message>
        <source>To</source>
        <translation>終了</translation>
    </message>
    <message>
        <source>&amp;Target:</source>
        <translation>ターゲット(&amp;T):</translation>
    </message>
    <message>
        <source>Second &amp;chart:</source>
        <translation>2 つ目のグラフ(&amp;C):</translation>
    </message>
    <message>
        <source>&amp;From</source>
        <translation>開始(&amp;F)</translation>
    </message>
    <message>
        <source>Runs of the target</source>
        <translation>ターゲットの実行</translation>
    </message>
    <message>
        <source>Reading the history…</source>
        <translation>履歴を読み込み中…</translation>
    </message>
    <message>
        <source>Cannot read the history: %1</source>
        <translation>履歴を読み込めません: %1</translation>
    </message>
    <message>
        <source>No run is recorded in %1 yet.</source>
        <translation>%1 にはまだ実行が記録されていません。</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) of %1.</source>
        <translation>
            <numerusform>%1 の実行 %n 件。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 The reported model changed %n time(s) (▲ on the chart, ⚠ in the table).</source>
        <translation>
            <numerusform>%1 報告モデルが %n 回変わりました（グラフの ▲、表の ⚠）。</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Until</source>
        <translation>終了(&amp;U)</translation>
    </message>
</context>
<context>
    <name>Slopscope::EscapedLineEdit</name>
    <message>
        <source>Invisible and direction-changing characters are shown as \u followed by their code (\u202E); type one that way to enter it, and \\ for a backslash before a &quot;u&quot;.</source>
        <translation>不可視文字や方向を変える文字は \u とそのコード (\u202E) で表示されます。その形式で入力すると文字を入力でき、&quot;u&quot; の前のバックスラッシュは \\ と入力します。</translation>
    </message>
</context>
<context>
    <name>Slopscope::HeaderTableEditor</name>
    <message>
        <source>Add</source>
        <translation>追加</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>削除</translation>
    </message>
    <message>
        <source>row %1 has no header name</source>
        <translation>行 %1 にヘッダー名がありません</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is listed twice</source>
        <translation>&quot;%1&quot; が 2 回指定されています</translation>
    </message>
</context>
<context>
    <name>Slopscope::HistoryBrowser</name>
    <message>
        <source>History</source>
        <translation>履歴</translation>
    </message>
    <message>
        <source>Filter runs</source>
        <translation>実行の絞り込み</translation>
    </message>
    <message>
        <source>Recorded runs</source>
        <translation>記録済みの実行</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>開く(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Export Run…</source>
        <translation>実行をエクスポート(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Delete Run…</source>
        <translation>実行を削除(&amp;D)…</translation>
    </message>
    <message>
        <source>Cannot read the history: %1</source>
        <translation>履歴を読み込めません: %1</translation>
    </message>
    <message>
        <source>No run is recorded in %1 yet.</source>
        <translation>%1 にはまだ実行が記録されていません。</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) in %1</source>
        <translation>
            <numerusform>%1 に %n 件の実行</numerusform>
        </translation>
    </message>
    <message>
        <source>Exported the run to %1.</source>
        <translation>実行を %1 にエクスポートしました。</translation>
    </message>
    <message>
        <source>Cannot export the run: %1</source>
        <translation>実行をエクスポートできません: %1</translation>
    </message>
    <message>
        <source>Cannot delete the run: %1</source>
        <translation>実行を削除できません: %1</translation>
    </message>
    <message>
        <source>Export Run</source>
        <translation>実行のエクスポート</translation>
    </message>
    <message>
        <source>Slopscope run (*.sqlite)</source>
        <translation>Slopscope の実行 (*.sqlite)</translation>
    </message>
    <message>
        <source>Delete Run</source>
        <translation>実行の削除</translation>
    </message>
    <message numerus="yes">
        <source>Delete the run of %1 started %2 and its %n result(s)? This cannot be undone.</source>
        <translation>
            <numerusform>%2 に開始した %1 の実行と、その %n 件の結果を削除しますか? この操作は元に戻せません。</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>削除</translation>
    </message>
    <message>
        <source>Co&amp;mpare</source>
        <translation>比較(&amp;M)</translation>
    </message>
    <message>
        <source>Compare the selected runs side by side; select two or more with Ctrl or Shift (Ctrl+D)</source>
        <translation>選択した実行を並べて比較します。Ctrl または Shift で 2 つ以上選択してください (Ctrl+D)</translation>
    </message>
    <message>
        <source>D&amp;rift…</source>
        <translation>ドリフト(&amp;R)…</translation>
    </message>
    <message>
        <source>One target&apos;s quality, speed and cost across every run (Ctrl+Shift+D)</source>
        <translation>1 つのターゲットの品質・速度・コストを全実行にわたって表示 (Ctrl+Shift+D)</translation>
    </message>
    <message>
        <source>Filter by suite, prompt, target, state or run id</source>
        <translation>スイート、プロンプト、ターゲット、状態、実行 ID で絞り込み</translation>
    </message>
    <message>
        <source>All runs</source>
        <translation>すべての実行</translation>
    </message>
    <message>
        <source>Suite runs</source>
        <translation>スイート実行</translation>
    </message>
    <message>
        <source>Quick compares</source>
        <translation>クイック比較</translation>
    </message>
    <message>
        <source>Show runs of kind</source>
        <translation>表示する実行の種類</translation>
    </message>
    <message>
        <source>Suite runs, quick-compare exchanges, or both</source>
        <translation>スイート実行、クイック比較のやり取り、またはその両方</translation>
    </message>
    <message>
        <source>Open in &amp;Arena…</source>
        <translation>アリーナで開く(&amp;A)…</translation>
    </message>
    <message>
        <source>Vote blind on this run&apos;s answers, two at a time (Ctrl+Shift+A)</source>
        <translation>この実行の回答に 2 つずつブラインドで投票 (Ctrl+Shift+A)</translation>
    </message>
</context>
<context>
    <name>Slopscope::JsonObjectEdit</name>
    <message>
        <source>A JSON object, e.g. %1; empty for none</source>
        <translation>JSON オブジェクト（例: %1）。なしの場合は空欄</translation>
    </message>
    <message>
        <source>%1 must be a JSON object ({...}), not a %2</source>
        <translation>%1 は JSON オブジェクト ({...}) である必要があります（%2 ではなく）</translation>
    </message>
</context>
<context>
    <name>Slopscope::KeyEntryDialog</name>
    <message>
        <source>Set %1</source>
        <translation>%1 の設定</translation>
    </message>
    <message>
        <source>Enter the key for %1 (used by %2). It is stored in the system keychain and never shown again.</source>
        <translation>%1 のキーを入力してください (%2 が使用)。キーはシステムのキーチェーンに保存され、二度と表示されません。</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API キー</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>キー</translation>
    </message>
</context>
<context>
    <name>Slopscope::KeychainKeyStore</name>
    <message>
        <source>the system keychain</source>
        <translation>システムのキーチェーン</translation>
    </message>
</context>
<context>
    <name>Slopscope::KeyringSecrets</name>
    <message>
        <source>The stored key %1 was confirmed for %2, not for %3: allow it when the app asks before a run or with &quot;slopscope-cli keys allow-host %1 %3&quot;, or set %1 in the environment</source>
        <translation>保存されたキー %1 は %3 ではなく %2 向けに確認されています。実行前にアプリが確認したときに許可するか、&quot;slopscope-cli keys allow-host %1 %3&quot; で許可するか、環境変数 %1 を設定してください</translation>
    </message>
</context>
<context>
    <name>Slopscope::KeysSettingsPage</name>
    <message>
        <source>API keys are kept in the system keychain, never in the workspace or the settings. An environment variable of the same name overrides the keychain.</source>
        <translation>API キーはシステムのキーチェーンに保管され、ワークスペースや設定には保存されません。同じ名前の環境変数があると、キーチェーンより優先されます。</translation>
    </message>
    <message>
        <source>API keys</source>
        <translation>API キー</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>キー</translation>
    </message>
    <message>
        <source>Used by</source>
        <translation>使用元</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>ソース</translation>
    </message>
    <message>
        <source>This workspace&apos;s providers need no API key: they are all simulated or local.</source>
        <translation>このワークスペースのプロバイダーには API キーは不要です。すべてシミュレーションまたはローカルです。</translation>
    </message>
    <message>
        <source>&amp;Set Key…</source>
        <translation>キーを設定(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>削除(&amp;R)</translation>
    </message>
    <message>
        <source>checking…</source>
        <translation>確認中…</translation>
    </message>
    <message>
        <source>environment</source>
        <translation>環境変数</translation>
    </message>
    <message>
        <source>keychain</source>
        <translation>キーチェーン</translation>
    </message>
    <message>
        <source>this session only</source>
        <translation>このセッションのみ</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>見つかりません</translation>
    </message>
    <message>
        <source>unknown: keychain unavailable</source>
        <translation>不明: キーチェーンを利用できません</translation>
    </message>
    <message>
        <source>%1 is set in the environment: that value is used, whatever the keychain holds, until the variable is unset.</source>
        <translation>%1 は環境変数に設定されています。変数を解除するまでは、キーチェーンの内容にかかわらずその値が使われます。</translation>
    </message>
    <message>
        <source>%1 is kept for this session only. The keychain could not take it: %2</source>
        <translation>%1 はこのセッションの間だけ保持されます。キーチェーンに保存できませんでした: %2</translation>
    </message>
    <message>
        <source>The keychain could not answer about %1: %2</source>
        <translation>キーチェーンから %1 についての応答を得られませんでした: %2</translation>
    </message>
    <message>
        <source>Saving %1…</source>
        <translation>%1 を保存しています…</translation>
    </message>
    <message>
        <source>%1 is saved in the system keychain.</source>
        <translation>%1 をシステムのキーチェーンに保存しました。</translation>
    </message>
    <message>
        <source>%1 is kept for this session only: it works until Slopscope quits and is written nowhere.</source>
        <translation>%1 はこのセッションの間だけ保持されます。Slopscope を終了するまで有効で、どこにも書き込まれません。</translation>
    </message>
    <message>
        <source>%1 was not saved: %2</source>
        <translation>%1 を保存できませんでした: %2</translation>
    </message>
    <message>
        <source>Remove Key</source>
        <translation>キーの削除</translation>
    </message>
    <message>
        <source>Remove %1 from the keychain? Providers that use it will fail until a key is set again.</source>
        <translation>%1 をキーチェーンから削除しますか? このキーを使うプロバイダーは、キーを再び設定するまで失敗します。</translation>
    </message>
    <message>
        <source>%1 is removed.</source>
        <translation>%1 を削除しました。</translation>
    </message>
    <message>
        <source>%1 was not removed: %2</source>
        <translation>%1 を削除できませんでした: %2</translation>
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
        <translation>%1 ポイント (%2〜%3)</translation>
    </message>
    <message>
        <source>%1 pts</source>
        <translation>%1 ポイント</translation>
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
        <translation>ターゲット %1</translation>
    </message>
    <message numerus="yes">
        <source>Mean score over %n case(s) in their canonical wording; the range is a 95% bootstrap interval.</source>
        <translation>
            <numerusform>正規の文言での %n 件のケースの平均スコアです。範囲は 95% ブートストラップ区間です。</numerusform>
        </translation>
    </message>
    <message>
        <source>Canonical minus reworded quality, in percentage points, over the cases run with variants; the range is a paired 95% bootstrap interval.</source>
        <translation>言い換え付きで実行したケースにおける、正規の文言の品質から言い換えの品質を引いた値 (パーセントポイント) です。範囲は対応のある 95% ブートストラップ区間です。</translation>
    </message>
    <message>
        <source>Unknown: the run had no rewordings (tick Variants).</source>
        <translation>不明: この実行には言い換えがありませんでした (「言い換え」にチェックを入れてください)。</translation>
    </message>
    <message numerus="yes">
        <source>Cost of 1,000 cases at the measured mean; %n answer(s) had no known price and are left out.</source>
        <translation>
            <numerusform>測定した平均による 1,000 ケースあたりのコストです。価格が不明な %n 件の回答は除外しています。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cost of 1,000 cases at the mean measured over %n answer(s).</source>
        <translation>
            <numerusform>%n 件の回答で測定した平均による 1,000 ケースあたりのコストです。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Time to first token over %n completed answer(s) (nearest rank).</source>
        <translation>
            <numerusform>完了した %n 件の回答における最初のトークンまでの時間です (最近順位法)。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Median decode speed after the first token, over %n answer(s).</source>
        <translation>
            <numerusform>%n 件の回答における、最初のトークン以降のデコード速度の中央値です。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Answers that did not complete (failed, truncated, cancelled) out of %n.</source>
        <translation>
            <numerusform>%n 件中、完了しなかった回答 (失敗、打ち切り、キャンセル) です。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n case(s) graded</source>
        <translation>
            <numerusform>%n 件のケースを採点</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n answer(s) in all</source>
        <translation>
            <numerusform>回答は全部で %n 件</numerusform>
        </translation>
    </message>
    <message>
        <source>Target</source>
        <translation>ターゲット</translation>
    </message>
    <message>
        <source>Quality (95% CI)</source>
        <translation>品質 (95% CI)</translation>
    </message>
    <message>
        <source>Brittleness</source>
        <translation>脆さ</translation>
    </message>
    <message>
        <source>$ / 1k cases</source>
        <translation>$ / 1k ケース</translation>
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
        <translation>デコード</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>エラー</translation>
    </message>
    <message>
        <source>n</source>
        <translation>n</translation>
    </message>
    <message numerus="yes">
        <source>%1% agreement, κ = %2, over %n answer(s) graded by a judge and rated by a person</source>
        <translation>
            <numerusform>一致率 %1%、κ = %2（ジャッジが採点し人が評価した %n 件の回答）</numerusform>
        </translation>
    </message>
    <message>
        <source>Unknown: no answer of this target has both a judge&apos;s verdict and a person&apos;s rating (rate answers in the matrix).</source>
        <translation>不明: このターゲットには、ジャッジの判定と人の評価の両方がある回答がありません（マトリクスで回答を評価してください）。</translation>
    </message>
    <message>
        <source>Judge %1: %2</source>
        <translation>ジャッジ %1: %2</translation>
    </message>
    <message>
        <source>Judge %1: no answer both graded</source>
        <translation>ジャッジ %1: 両方が採点した回答なし</translation>
    </message>
    <message>
        <source>κ (Cohen&apos;s kappa): 1 is perfect agreement, 0 what chance would give.</source>
        <translation>κ（Cohen&apos;s κ）: 1 は完全一致、0 は偶然と同程度です。</translation>
    </message>
    <message>
        <source>Judge–human agreement</source>
        <translation>ジャッジと人間の一致</translation>
    </message>
</context>
<context>
    <name>Slopscope::LeaderboardView</name>
    <message>
        <source>Leaderboard</source>
        <translation>リーダーボード</translation>
    </message>
</context>
<context>
    <name>Slopscope::LocalDiscovery</name>
    <message>
        <source>not a JSON object</source>
        <translation>JSON オブジェクトではありません</translation>
    </message>
    <message>
        <source>no model list in the answer</source>
        <translation>応答にモデル一覧がありません</translation>
    </message>
</context>
<context>
    <name>Slopscope::MainWindow</name>
    <message>
        <source>Targets</source>
        <translation>ターゲット</translation>
    </message>
    <message>
        <source>Quadrant</source>
        <translation>象限図</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>実行</translation>
    </message>
    <message>
        <source>Suite</source>
        <translation>スイート</translation>
    </message>
    <message>
        <source>Suite </source>
        <translation>スイート </translation>
    </message>
    <message>
        <source>Repeats</source>
        <translation>繰り返し回数</translation>
    </message>
    <message>
        <source>  Repeats </source>
        <translation>  繰り返し回数 </translation>
    </message>
    <message>
        <source>Variants</source>
        <translation>バリアント</translation>
    </message>
    <message>
        <source>Also send each case&apos;s rewordings, to measure brittleness.</source>
        <translation>脆さを測るため、各ケースの言い換えも送信します。</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>実行(&amp;R)</translation>
    </message>
    <message>
        <source>Run the suite on the checked targets (Ctrl+R)</source>
        <translation>チェックしたターゲットでスイートを実行します (Ctrl+R)</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>停止(&amp;S)</translation>
    </message>
    <message>
        <source>Stop the run, keeping what has arrived (Ctrl+.)</source>
        <translation>受信済みの内容を残して実行を停止します (Ctrl+.)</translation>
    </message>
    <message>
        <source>%v / %m</source>
        <translation>%v / %m</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>結果</translation>
    </message>
    <message>
        <source>Results matrix</source>
        <translation>結果マトリックス</translation>
    </message>
    <message>
        <source>Answer diff</source>
        <translation>回答の差分</translation>
    </message>
    <message>
        <source>&amp;Matrix</source>
        <translation>マトリックス(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Leaderboard</source>
        <translation>リーダーボード(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Diff</source>
        <translation>差分(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Export Quadrant…</source>
        <translation>象限図をエクスポート(&amp;E)…</translation>
    </message>
    <message>
        <source>Export Quadrant</source>
        <translation>象限図のエクスポート</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG image (*.svg);;PDF (*.pdf)</source>
        <translation>PNG 画像 (*.png);;SVG 画像 (*.svg);;PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Cannot export the quadrant</source>
        <translation>象限図をエクスポートできません</translation>
    </message>
    <message>
        <source>Export &amp;Results…</source>
        <translation>結果をエクスポート(&amp;R)…</translation>
    </message>
    <message>
        <source>Export Results</source>
        <translation>結果のエクスポート</translation>
    </message>
    <message>
        <source>HTML report (*.html);;PDF report (*.pdf);;Markdown report (*.md);;Summary (*.json);;Results, one JSON line each (*.jsonl);;Results table (*.csv);;Chart (*.png *.svg)</source>
        <translation>HTML レポート (*.html);;PDF レポート (*.pdf);;Markdown レポート (*.md);;要約 (*.json);;結果、1 件につき JSON 1 行 (*.jsonl);;結果の表 (*.csv);;グラフ (*.png *.svg)</translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation>%1 をエクスポートしました</translation>
    </message>
    <message>
        <source>Cannot export the results</source>
        <translation>結果をエクスポートできません</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>表示(&amp;V)</translation>
    </message>
    <message>
        <source>Results &amp;Matrix</source>
        <translation>結果マトリックス(&amp;M)</translation>
    </message>
    <message>
        <source>Show &amp;Results</source>
        <translation>結果を表示(&amp;R)</translation>
    </message>
    <message>
        <source>Show &amp;Targets</source>
        <translation>ターゲットを表示(&amp;T)</translation>
    </message>
    <message>
        <source>Show &amp;Quadrant</source>
        <translation>象限図を表示(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>ヘルプ(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About Slopscope</source>
        <translation>Slopscope について(&amp;A)</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>Qt について(&amp;Q)</translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n case(s))</source>
        <translation>
            <numerusform>%1 (%n ケース)</numerusform>
        </translation>
    </message>
    <message>
        <source>no workspace</source>
        <translation>ワークスペースなし</translation>
    </message>
    <message>
        <source>%1 — Slopscope %2</source>
        <translation>%1 — Slopscope %2</translation>
    </message>
    <message numerus="yes">
        <source>%n target(s)</source>
        <translation>
            <numerusform>ターゲット %n 件</numerusform>
        </translation>
    </message>
    <message>
        <source>History not recorded: %1</source>
        <translation>履歴は記録されていません: %1</translation>
    </message>
    <message>
        <source>There are no results to export yet: run a suite first.</source>
        <translation>エクスポートする結果はまだありません。先にスイートを実行してください。</translation>
    </message>
    <message>
        <source>%1: choose a file ending in .html, .pdf, .md, .json, .jsonl, .csv, .png or .svg.</source>
        <translation>%1: 拡張子が .html、.pdf、.md、.json、.jsonl、.csv、.png、.svg のいずれかのファイルを選んでください。</translation>
    </message>
    <message>
        <source>History: saved again.</source>
        <translation>履歴: 再び保存できるようになりました。</translation>
    </message>
    <message>
        <source>History: %1 (waiting)</source>
        <translation>履歴: %1 (待機中)</translation>
    </message>
    <message numerus="yes">
        <source>History: %1. The run was stopped; %n finished result(s) wait in memory and are saved as soon as the disk allows.</source>
        <translation>
            <numerusform>履歴: %1。実行を停止しました。完了した %n 件の結果はメモリ上で待機しており、ディスクが使用可能になりしだい保存されます。</numerusform>
        </translation>
    </message>
    <message>
        <source>History: %1</source>
        <translation>履歴: %1</translation>
    </message>
    <message>
        <source>%1 of %2 · %3</source>
        <translation>%1/%2 · %3</translation>
    </message>
    <message>
        <source>Open a suite first.</source>
        <translation>先にスイートを開いてください。</translation>
    </message>
    <message>
        <source>Check at least one target.</source>
        <translation>ターゲットを 1 つ以上チェックしてください。</translation>
    </message>
    <message>
        <source>Cannot start the run</source>
        <translation>実行を開始できません</translation>
    </message>
    <message numerus="yes">
        <source>Running %1 on %n target(s)…</source>
        <translation>
            <numerusform>%n 個のターゲットで %1 を実行中…</numerusform>
        </translation>
    </message>
    <message>
        <source>attempt %1</source>
        <translation>試行 %1</translation>
    </message>
    <message>
        <source>Case %1</source>
        <translation>ケース %1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>pass</source>
        <translation>合格</translation>
    </message>
    <message>
        <source>fail (score %1)</source>
        <translation>不合格 (スコア %1)</translation>
    </message>
    <message>
        <source>spent $%1</source>
        <translation>支出 $%1</translation>
    </message>
    <message>
        <source>Run stopped: %1.</source>
        <translation>実行を停止しました: %1。</translation>
    </message>
    <message numerus="yes">
        <source>Run finished: %n result(s).</source>
        <translation>
            <numerusform>実行が完了しました: %n 件の結果。</numerusform>
        </translation>
    </message>
    <message>
        <source>Open Workspace</source>
        <translation>ワークスペースを開く</translation>
    </message>
    <message>
        <source>Slopscope workspaces (*.json);;All files (*)</source>
        <translation>Slopscope ワークスペース (*.json);;すべてのファイル (*)</translation>
    </message>
    <message>
        <source>Cannot open workspace</source>
        <translation>ワークスペースを開けません</translation>
    </message>
    <message>
        <source>Open Suite</source>
        <translation>スイートを開く</translation>
    </message>
    <message>
        <source>Slopscope suites (*.json);;All files (*)</source>
        <translation>Slopscope スイート (*.json);;すべてのファイル (*)</translation>
    </message>
    <message>
        <source>Cannot open suite</source>
        <translation>スイートを開けません</translation>
    </message>
    <message>
        <source>About Slopscope</source>
        <translation>Slopscope について</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Slopscope %1&lt;/h3&gt;&lt;p&gt;Price, speed and quality of LLM providers, measured on your own prompts.&lt;/p&gt;&lt;p&gt;MIT licence. Third-party notices ship with the application.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Slopscope %1&lt;/h3&gt;&lt;p&gt;LLM プロバイダーの価格・速度・品質を、あなた自身のプロンプトで測定します。&lt;/p&gt;&lt;p&gt;MIT ライセンス。サードパーティーの告知はアプリケーションに同梱されています。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>設定(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>言語(&amp;L)</translation>
    </message>
    <message>
        <source>The language changes when Slopscope starts again.</source>
        <translation>言語は Slopscope の再起動後に変更されます。</translation>
    </message>
    <message>
        <source>System Default</source>
        <translation>システムの既定</translation>
    </message>
    <message>
        <source>&amp;History…</source>
        <translation>履歴(&amp;H)…</translation>
    </message>
    <message>
        <source>Stop the current run before opening another from the history.</source>
        <translation>履歴から別の実行を開く前に、現在の実行を停止してください。</translation>
    </message>
    <message>
        <source>No history is open.</source>
        <translation>履歴が開かれていません。</translation>
    </message>
    <message>
        <source>Showing the recorded run of %1 from %2 (%3): nothing was sent.</source>
        <translation>%2 に開始した %1 の記録済みの実行 (%3) を表示しています: 何も送信していません。</translation>
    </message>
    <message>
        <source>Cannot open the run</source>
        <translation>実行を開けません</translation>
    </message>
    <message>
        <source>History Damaged</source>
        <translation>履歴の破損</translation>
    </message>
    <message>
        <source>&amp;Restore Backup</source>
        <translation>バックアップを復元(&amp;R)</translation>
    </message>
    <message>
        <source>Keep the &amp;Empty History</source>
        <translation>空の履歴を使う(&amp;E)</translation>
    </message>
    <message>
        <source>History restored from %1.</source>
        <translation>%1 から履歴を復元しました。</translation>
    </message>
    <message>
        <source>Routing &amp;Policies…</source>
        <translation>ルーティング ポリシー(&amp;P)…</translation>
    </message>
    <message>
        <source>Replay routing policies over this run&apos;s results (Ctrl+Shift+R)</source>
        <translation>この実行の結果でルーティング ポリシーを再生します (Ctrl+Shift+R)</translation>
    </message>
    <message>
        <source>the recorded run of %1</source>
        <translation>%1 の記録済みの実行</translation>
    </message>
    <message>
        <source>A run is going: its results are replayed when it ends.</source>
        <translation>実行中です: 終了すると結果が再生されます。</translation>
    </message>
    <message>
        <source>the last run</source>
        <translation>直前の実行</translation>
    </message>
    <message>
        <source>No finished run to replay yet: run a suite, or open one from File ▸ History.</source>
        <translation>再生できる完了済みの実行がまだありません: スイートを実行するか、ファイル ▸ 履歴 から開いてください。</translation>
    </message>
    <message>
        <source>A run is going.</source>
        <translation>実行中です。</translation>
    </message>
    <message>
        <source>Fetching records into the history, and none is open.</source>
        <translation>取得結果は履歴に記録されますが、履歴が開かれていません。</translation>
    </message>
    <message>
        <source>Cannot fetch: %1</source>
        <translation>取得できません: %1</translation>
    </message>
    <message numerus="yes">
        <source>Fetching %n answer(s)</source>
        <translation>
            <numerusform>%n 件の回答を取得中</numerusform>
        </translation>
    </message>
    <message>
        <source>The fetch stopped: %1.</source>
        <translation>取得が停止しました: %1。</translation>
    </message>
    <message numerus="yes">
        <source>Fetched %n answer(s)</source>
        <translation>
            <numerusform>%n 件の回答を取得</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n result(s) were still being written; the history will have them.</source>
        <translation>
            <numerusform>%n 件の結果はまだ書き込み中でした。履歴には記録されます。</numerusform>
        </translation>
    </message>
    <message>
        <source>Fetched, but the run cannot be shown again: %1</source>
        <translation>取得しましたが、実行を再表示できません: %1</translation>
    </message>
    <message numerus="yes">
        <source>and %n judge call(s)…</source>
        <translation>
            <numerusform>、審査呼び出し %n 件…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>and %n judge call(s).</source>
        <translation>
            <numerusform>、審査呼び出し %n 件。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>(%n verdict(s) or pick(s) could not be asked: %1)</source>
        <translation>
            <numerusform>（%n 件の判定または選択を依頼できませんでした: %1）</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>環境設定(&amp;P)…</translation>
    </message>
    <message numerus="yes">
        <source>The keychain could not give %n key(s): %1</source>
        <translation>
            <numerusform>キーチェーンから %n 個のキーを取得できませんでした: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Add Target…</source>
        <translation>ターゲットを追加(&amp;A)…</translation>
    </message>
    <message>
        <source>Re&amp;move Target</source>
        <translation>ターゲットを削除(&amp;M)</translation>
    </message>
    <message>
        <source>Select a target in the lineup first.</source>
        <translation>先にラインアップでターゲットを選択してください。</translation>
    </message>
    <message>
        <source>Cannot remove the target</source>
        <translation>ターゲットを削除できません</translation>
    </message>
    <message>
        <source>Removed %1 (Undo brings it back).</source>
        <translation>%1 を削除しました (「元に戻す」で復元できます)。</translation>
    </message>
    <message>
        <source>Stop the run before changing the lineup.</source>
        <translation>ラインアップを変更する前に実行を停止してください。</translation>
    </message>
    <message>
        <source>Cannot add the target</source>
        <translation>ターゲットを追加できません</translation>
    </message>
    <message>
        <source>Add %1</source>
        <translation>%1 を追加</translation>
    </message>
    <message>
        <source>Added %1.</source>
        <translation>%1 を追加しました。</translation>
    </message>
    <message>
        <source>Remove %1</source>
        <translation>%1 を削除</translation>
    </message>
    <message>
        <source>The run was not started.</source>
        <translation>実行は開始されませんでした。</translation>
    </message>
    <message>
        <source>Waiting for the keychain to give the workspace&apos;s API keys…</source>
        <translation>キーチェーンからワークスペースの API キーを取得するのを待っています…</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>編集(&amp;E)</translation>
    </message>
    <message>
        <source>Open &amp;Workspace…</source>
        <translation>ワークスペースを開く(&amp;W)…</translation>
    </message>
    <message>
        <source>Show &amp;Suite</source>
        <translation>スイートを表示(&amp;S)</translation>
    </message>
    <message>
        <source>Cannot run the suite: %1</source>
        <translation>スイートを実行できません: %1</translation>
    </message>
    <message>
        <source>Quick Compare</source>
        <translation>クイック比較</translation>
    </message>
    <message>
        <source>The keychain is still giving the workspace&apos;s API keys; send again in a moment.</source>
        <translation>キーチェーンからワークスペースの API キーをまだ取得中です。しばらくしてから再度送信してください。</translation>
    </message>
    <message>
        <source>&amp;Quick Compare</source>
        <translation>クイック比較(&amp;Q)</translation>
    </message>
    <message>
        <source>Send one prompt or a chat to every checked target (Ctrl+K)</source>
        <translation>チェックしたすべてのターゲットに 1 つのプロンプトまたはチャットを送信 (Ctrl+K)</translation>
    </message>
    <message>
        <source>Quick compare cases</source>
        <translation>クイック比較のケース</translation>
    </message>
    <message>
        <source>Saved as case &quot;%1&quot; in the suite &quot;%2&quot;.</source>
        <translation>スイート「%2」にケース「%1」として保存しました。</translation>
    </message>
    <message>
        <source>Send the key to a new host?</source>
        <translation>キーを新しいホストに送信しますか?</translation>
    </message>
    <message>
        <source>The stored key %1 has been sent only to %2.

Provider &quot;%3&quot; would now send it to %4. If you did not change this provider&apos;s address yourself, the workspace may be trying to collect your key.</source>
        <translation>保存されたキー %1 はこれまで %2 にのみ送信されています。

プロバイダー「%3」は今回これを %4 に送信しようとしています。このプロバイダーのアドレスをご自身で変更していない場合、ワークスペースがキーを収集しようとしている可能性があります。</translation>
    </message>
    <message>
        <source>Send to %1</source>
        <translation>%1 に送信</translation>
    </message>
    <message>
        <source>Run not started: the key %1 was not sent to %2.</source>
        <translation>実行は開始されませんでした: キー %1 は %2 に送信されていません。</translation>
    </message>
    <message>
        <source>&amp;New Suite</source>
        <translation>新規スイート(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Open Suite…</source>
        <translation>スイートを開く(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;Recent Suite</source>
        <translation>最近使ったスイートを開く(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Save Suite</source>
        <translation>スイートを保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save Suite &amp;As…</source>
        <translation>名前を付けてスイートを保存(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>元に戻す(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>やり直し(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Add Case</source>
        <translation>ケースを追加(&amp;A)</translation>
    </message>
    <message>
        <source>D&amp;uplicate Case</source>
        <translation>ケースを複製(&amp;U)</translation>
    </message>
    <message>
        <source>Re&amp;move Case</source>
        <translation>ケースを削除(&amp;M)</translation>
    </message>
    <message>
        <source>Move Case U&amp;p</source>
        <translation>ケースを上へ移動(&amp;P)</translation>
    </message>
    <message>
        <source>Move Case Do&amp;wn</source>
        <translation>ケースを下へ移動(&amp;W)</translation>
    </message>
    <message>
        <source>Untitled suite</source>
        <translation>無題のスイート</translation>
    </message>
    <message>
        <source>%1[*] — %2 — Slopscope %3</source>
        <translation>%1[*] — %2 — Slopscope %3</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>%1 を開きました</translation>
    </message>
    <message>
        <source>The suite cannot be saved yet: %1</source>
        <translation>スイートはまだ保存できません: %1</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 を保存しました</translation>
    </message>
    <message>
        <source>Cannot save the suite</source>
        <translation>スイートを保存できません</translation>
    </message>
    <message>
        <source>Save Suite As</source>
        <translation>名前を付けてスイートを保存</translation>
    </message>
    <message>
        <source>Slopscope suites (*.json)</source>
        <translation>Slopscope スイート (*.json)</translation>
    </message>
    <message>
        <source>Unsaved suite</source>
        <translation>未保存のスイート</translation>
    </message>
    <message>
        <source>The suite &quot;%1&quot; has changes that are not saved. Save them?</source>
        <translation>スイート「%1」には保存されていない変更があります。保存しますか?</translation>
    </message>
    <message>
        <source>&amp;%1 %2</source>
        <translation>&amp;%1 %2</translation>
    </message>
    <message>
        <source>No recent suites</source>
        <translation>最近使ったスイートはありません</translation>
    </message>
    <message>
        <source>%1 no longer exists; it was removed from the recent suites.</source>
        <translation>%1 は存在しないため、最近使ったスイートから削除しました。</translation>
    </message>
    <message>
        <source>Disa&amp;greements</source>
        <translation>不一致(&amp;G)</translation>
    </message>
    <message>
        <source>Disagreements between the answers</source>
        <translation>回答間の不一致</translation>
    </message>
    <message>
        <source>&amp;Drift…</source>
        <translation>ドリフト(&amp;D)…</translation>
    </message>
    <message>
        <source>One target&apos;s quality, speed and cost across the recorded runs</source>
        <translation>1 つのターゲットの品質・速度・コストを記録済みの実行にわたって表示</translation>
    </message>
    <message>
        <source>Blind &amp;Arena…</source>
        <translation>ブラインドアリーナ(&amp;A)…</translation>
    </message>
    <message>
        <source>Compare two anonymous answers at a time and rank the targets by your votes (Ctrl+Shift+A)</source>
        <translation>匿名の回答を 2 つずつ比較し、投票に基づいてターゲットを順位付けします (Ctrl+Shift+A)</translation>
    </message>
    <message>
        <source>The arena opens once the run has ended.</source>
        <translation>アリーナは実行の終了後に開きます。</translation>
    </message>
    <message>
        <source>No finished run to vote on: run a suite, or open one from File ▸ History.</source>
        <translation>投票できる完了済みの実行がありません: スイートを実行するか、ファイル ▸ 履歴 から開いてください。</translation>
    </message>
    <message>
        <source>Blind Arena (votes kept until closed: this run is not recorded)</source>
        <translation>ブラインド・アリーナ(投票は閉じるまで保持: この実行は記録されません)</translation>
    </message>
    <message>
        <source>The workspace changed since Preferences opened; close and reopen it to edit the current one.</source>
        <translation>環境設定を開いた後にワークスペースが変更されました。現在のものを編集するには、閉じてから開き直してください。</translation>
    </message>
    <message>
        <source>Edit providers and targets</source>
        <translation>プロバイダーとターゲットを編集</translation>
    </message>
    <message>
        <source>Save Wor&amp;kspace</source>
        <translation>ワークスペースを保存(&amp;K)</translation>
    </message>
    <message>
        <source>Save Workspace As…</source>
        <translation>名前を付けてワークスペースを保存…</translation>
    </message>
    <message>
        <source>Stop the run before changing providers or targets.</source>
        <translation>プロバイダーやターゲットを変更する前に実行を停止してください。</translation>
    </message>
    <message>
        <source>%1 (Undo takes it back).</source>
        <translation>%1（元に戻すで取り消せます）。</translation>
    </message>
    <message>
        <source>A run is going: providers and targets can be edited when it ends.</source>
        <translation>実行中です。プロバイダーとターゲットは実行終了後に編集できます。</translation>
    </message>
    <message>
        <source>Saved the workspace to %1.</source>
        <translation>ワークスペースを %1 に保存しました。</translation>
    </message>
    <message>
        <source>Cannot save the workspace</source>
        <translation>ワークスペースを保存できません</translation>
    </message>
    <message>
        <source>workspace</source>
        <translation>ワークスペース</translation>
    </message>
    <message>
        <source>Save Workspace As</source>
        <translation>名前を付けてワークスペースを保存</translation>
    </message>
    <message>
        <source>Unsaved workspace</source>
        <translation>未保存のワークスペース</translation>
    </message>
    <message>
        <source>The workspace &quot;%1&quot; has changes that are not saved. Save them?</source>
        <translation>ワークスペース「%1」には保存されていない変更があります。保存しますか?</translation>
    </message>
    <message>
        <source>%1. No new cell is sent until they are saved.</source>
        <translation>%1。保存されるまで新しいセルは送信されません。</translation>
    </message>
    <message>
        <source>%1. No new cell is sent until they are saved. %2</source>
        <translation>%1。保存されるまで新しいセルは送信されません。%2</translation>
    </message>
    <message>
        <source>Answer whether to continue without history first.</source>
        <translation>まず履歴なしで続行するかどうかに回答してください。</translation>
    </message>
    <message>
        <source>History Unavailable</source>
        <translation>履歴を利用できません</translation>
    </message>
    <message>
        <source>The run history cannot be saved: %1

Without it, results are lost when Slopscope closes. Make the folder writable and start again, or continue without history for this session.</source>
        <translation>実行履歴を保存できません: %1

履歴がないと、Slopscope を閉じたときに結果が失われます。フォルダーを書き込み可能にして再起動するか、このセッションは履歴なしで続行してください。</translation>
    </message>
    <message>
        <source>&amp;Continue Without History</source>
        <translation>履歴なしで続行(&amp;C)</translation>
    </message>
    <message>
        <source>No history: results of this session are not saved.</source>
        <translation>履歴なし: このセッションの結果は保存されません。</translation>
    </message>
    <message>
        <source>Re&amp;do</source>
        <translation>やり直し(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Undo %1</source>
        <translation>%1 を元に戻す(&amp;U)</translation>
    </message>
    <message>
        <source>Re&amp;do %1</source>
        <translation>%1 をやり直し(&amp;D)</translation>
    </message>
    <message>
        <source>no cap</source>
        <translation>上限なし</translation>
    </message>
    <message>
        <source>Spend cap</source>
        <translation>支出上限</translation>
    </message>
    <message>
        <source>Stop a run or a quick-compare chat once it has cost this much (0: no cap).</source>
        <translation>実行またはクイック比較チャットの費用がこの額に達したら停止します（0: 上限なし）。</translation>
    </message>
    <message>
        <source>  Spend &amp;cap </source>
        <translation>  支出上限(&amp;C) </translation>
    </message>
    <message>
        <source>Retry &amp;Broken-Off Answers</source>
        <translation>途切れた回答を再試行(&amp;B)</translation>
    </message>
    <message>
        <source>Send again an answer whose stream broke off; the new answer replaces the partial one, and both are paid for.</source>
        <translation>ストリームが途切れた回答を再送信します。新しい回答で途中までの回答を置き換え、両方の料金がかかります。</translation>
    </message>
    <message>
        <source>Cannot open the run in the arena: %1</source>
        <translation>実行をアリーナで開けません: %1</translation>
    </message>
    <message>
        <source>Key over Plain HTTP</source>
        <translation>平文 HTTP でのキー送信</translation>
    </message>
    <message>
        <source>Send the key over plain HTTP to %1?</source>
        <translation>%1 に平文 HTTP でキーを送信しますか?</translation>
    </message>
    <message>
        <source>Provider &quot;%1&quot; has an http:// address, so its key would cross the network unencrypted: anyone on the way can read it. Allow this only on a network you trust (a server on your LAN, for example).</source>
        <translation>プロバイダー &quot;%1&quot; のアドレスは http:// のため、キーは暗号化されずにネットワークを通過し、経路上の誰でも読み取れます。信頼できるネットワーク(LAN 上のサーバーなど)でのみ許可してください。</translation>
    </message>
    <message>
        <source>Allow &amp;Once</source>
        <translation>今回のみ許可(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Always for This Host</source>
        <translation>このホストでは常に許可(&amp;A)</translation>
    </message>
    <message>
        <source>The key is not sent over plain HTTP to %1: those cells are refused.</source>
        <translation>%1 へは平文 HTTP でキーを送信しません: 該当するセルは拒否されます。</translation>
    </message>
    <message>
        <source>Proxy credentials kept for this session. Run again to send the requests the proxy refused.</source>
        <translation>プロキシ認証情報をこのセッション中保持します。もう一度実行すると、プロキシに拒否されたリクエストを送信します。</translation>
    </message>
</context>
<context>
    <name>Slopscope::MessagesEditor</name>
    <message>
        <source>Role</source>
        <translation>ロール</translation>
    </message>
    <message>
        <source>Content</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Add message</source>
        <translation>メッセージを追加</translation>
    </message>
    <message>
        <source>Remove message</source>
        <translation>メッセージを削除</translation>
    </message>
</context>
<context>
    <name>Slopscope::NWayDiffView</name>
    <message>
        <source>&amp;Case</source>
        <translation>ケース(&amp;C)</translation>
    </message>
    <message>
        <source>Case to compare</source>
        <translation>比較するケース</translation>
    </message>
    <message>
        <source>Disputed facts</source>
        <translation>不一致の事実</translation>
    </message>
    <message>
        <source>%1 (no answer yet)</source>
        <translation>%1 (まだ回答なし)</translation>
    </message>
    <message>
        <source>Answer of %1</source>
        <translation>%1 の回答</translation>
    </message>
    <message>
        <source>No results to compare yet.</source>
        <translation>比較する結果はまだありません。</translation>
    </message>
    <message>
        <source>No disputed numbers, dates or names.</source>
        <translation>不一致の数値・日付・名前はありません。</translation>
    </message>
    <message numerus="yes">
        <source>%n disputed fact(s), highlighted in orange; agreed ones are underlined.</source>
        <translation>
            <numerusform>不一致の事実が %n 件あり、オレンジで強調表示されています。一致している事実には下線が引かれています。</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing disputed in this answer.</source>
        <translation>この回答に不一致の箇所はありません。</translation>
    </message>
    <message>
        <source>Disputed here: %1</source>
        <translation>この回答の不一致: %1</translation>
    </message>
    <message>
        <source>Comparing…</source>
        <translation>比較中…</translation>
    </message>
</context>
<context>
    <name>Slopscope::PlainHttpHostsBox</name>
    <message>
        <source>Keys over plain HTTP</source>
        <translation>平文 HTTP でのキー送信</translation>
    </message>
    <message>
        <source>Hosts you allowed to receive a key without TLS (http://). Anyone on the network path can read a key sent to them. Revoke a host to be asked again.</source>
        <translation>TLS なし (http://) でのキー受信を許可したホスト。送信されたキーはネットワーク経路上の誰でも読み取れます。ホストを取り消すと再度確認されます。</translation>
    </message>
    <message>
        <source>Hosts allowed to receive a key over plain HTTP</source>
        <translation>平文 HTTP でのキー受信を許可したホスト</translation>
    </message>
    <message>
        <source>Re&amp;voke</source>
        <translation>取り消し(&amp;V)</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(なし)</translation>
    </message>
</context>
<context>
    <name>Slopscope::ProviderSettingsForm</name>
    <message>
        <source>Base &amp;URL:</source>
        <translation>ベース URL(&amp;U):</translation>
    </message>
    <message>
        <source>Answered by the embedded simulator: its address is chosen when a run starts.</source>
        <translation>組み込みシミュレーターが応答します。アドレスは実行開始時に決まります。</translation>
    </message>
    <message>
        <source>Max &amp;concurrent requests:</source>
        <translation>最大同時リクエスト数(&amp;C):</translation>
    </message>
    <message>
        <source>Max &amp;retries:</source>
        <translation>最大リトライ回数(&amp;R):</translation>
    </message>
    <message>
        <source>Follow the environment</source>
        <translation>環境に従う</translation>
    </message>
    <message>
        <source>None (direct)</source>
        <translation>なし（直接接続）</translation>
    </message>
    <message>
        <source>This proxy:</source>
        <translation>このプロキシ:</translation>
    </message>
    <message>
        <source>Pro&amp;xy:</source>
        <translation>プロキシ(&amp;X):</translation>
    </message>
    <message>
        <source>Allow the key over plain &amp;HTTP</source>
        <translation>平文の HTTP でのキー送信を許可(&amp;H)</translation>
    </message>
    <message>
        <source>Send the key even when the address is http:// and not this computer. Anyone on the network between can read it.</source>
        <translation>アドレスが http:// でこのコンピューター以外の場合もキーを送信します。途中のネットワーク上の誰でも読み取れます。</translation>
    </message>
    <message>
        <source>Timeouts</source>
        <translation>タイムアウト</translation>
    </message>
    <message>
        <source>Connect:</source>
        <translation>接続:</translation>
    </message>
    <message>
        <source>First byte:</source>
        <translation>最初のバイト:</translation>
    </message>
    <message>
        <source>First token:</source>
        <translation>最初のトークン:</translation>
    </message>
    <message>
        <source>Idle:</source>
        <translation>アイドル:</translation>
    </message>
    <message>
        <source>Content idle:</source>
        <translation>コンテンツのアイドル:</translation>
    </message>
    <message>
        <source>Total:</source>
        <translation>合計:</translation>
    </message>
    <message>
        <source>%1.proxy: enter the proxy&apos;s URL, or choose another proxy setting</source>
        <translation>%1.proxy: プロキシの URL を入力するか、別のプロキシ設定を選択してください</translation>
    </message>
    <message>
        <source>Targets name their provider by this id; renaming it renames it in them too.</source>
        <translation>ターゲットはこの ID でプロバイダーを指定します。名前を変更するとターゲット側も変更されます。</translation>
    </message>
    <message>
        <source>&amp;Id:</source>
        <translation>ID(&amp;I):</translation>
    </message>
    <message>
        <source>OpenAI Chat Completions (and compatible servers)</source>
        <translation>OpenAI Chat Completions（および互換サーバー）</translation>
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
        <translation>方言(&amp;D):</translation>
    </message>
    <message>
        <source>none (a local server)</source>
        <translation>なし（ローカルサーバー）</translation>
    </message>
    <message>
        <source>The name the key is kept under: a keychain entry (Settings ▸ Keys) or an environment variable. The key itself is never written to the workspace.</source>
        <translation>キーを保管する名前: キーチェーンのエントリ（設定 ▸ キー）または環境変数。キー自体がワークスペースに書き込まれることはありません。</translation>
    </message>
    <message>
        <source>API &amp;key name:</source>
        <translation>API キー名(&amp;K):</translation>
    </message>
    <message>
        <source>Provider %1</source>
        <translation>プロバイダー %1</translation>
    </message>
    <message>
        <source>Headers</source>
        <translation>ヘッダー</translation>
    </message>
    <message>
        <source>Sent with every request, and written to the workspace as they are:</source>
        <translation>すべてのリクエストで送信され、そのままワークスペースに書き込まれます:</translation>
    </message>
    <message>
        <source>Header</source>
        <translation>ヘッダー</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>値</translation>
    </message>
    <message>
        <source>Add header</source>
        <translation>ヘッダーを追加</translation>
    </message>
    <message>
        <source>Remove header</source>
        <translation>ヘッダーを削除</translation>
    </message>
    <message>
        <source>Secret headers: their values are kept in the keychain (Settings ▸ Keys) or an environment variable under the name given here, and are never shown or written to the workspace.</source>
        <translation>シークレットヘッダー: 値はここで指定した名前でキーチェーン（設定 ▸ キー）または環境変数に保管され、表示されることもワークスペースに書き込まれることもありません。</translation>
    </message>
    <message>
        <source>Keychain entry or variable</source>
        <translation>キーチェーンのエントリまたは変数</translation>
    </message>
    <message>
        <source>Secret headers</source>
        <translation>シークレットヘッダー</translation>
    </message>
    <message>
        <source>Add secret header</source>
        <translation>シークレットヘッダーを追加</translation>
    </message>
    <message>
        <source>Remove secret header</source>
        <translation>シークレットヘッダーを削除</translation>
    </message>
    <message>
        <source>Certificate authorities</source>
        <translation>認証局</translation>
    </message>
    <message>
        <source>A PEM file of extra authorities to trust for this provider, besides the system&apos;s (a company proxy&apos;s or a private server&apos;s).</source>
        <translation>このプロバイダーについて、システムの認証局に加えて信頼する追加の認証局の PEM ファイル（社内プロキシやプライベートサーバーのもの）。</translation>
    </message>
    <message>
        <source>none: only the system&apos;s authorities</source>
        <translation>なし: システムの認証局のみ</translation>
    </message>
    <message>
        <source>CA certificate file</source>
        <translation>CA 証明書ファイル</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>参照(&amp;B)…</translation>
    </message>
    <message>
        <source>Certificate Authorities</source>
        <translation>認証局</translation>
    </message>
    <message>
        <source>PEM certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>PEM 証明書 (*.pem *.crt *.cer);;すべてのファイル (*)</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
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
        <translation>ファイルのフルパスを入力してください</translation>
    </message>
    <message>
        <source>Not trusted: %1.</source>
        <translation>信頼されていません: %1。</translation>
    </message>
    <message numerus="yes">
        <source>Trusted: %n certificate(s), the first “%1”, valid until %2.</source>
        <translation>
            <numerusform>信頼済み: 証明書 %n 件、最初のものは「%1」、有効期限 %2。</numerusform>
        </translation>
    </message>
    <message>
        <source>Loaded.</source>
        <translation>読み込みました。</translation>
    </message>
    <message>
        <source>A provider needs an id.</source>
        <translation>プロバイダーには ID が必要です。</translation>
    </message>
    <message>
        <source>Another provider already has the id “%1”.</source>
        <translation>ID「%1」は別のプロバイダーが既に使用しています。</translation>
    </message>
    <message>
        <source>Enter an http:// or https:// address, such as https://api.example.com/v1.</source>
        <translation>http:// または https:// のアドレスを入力してください（例: https://api.example.com/v1）。</translation>
    </message>
</context>
<context>
    <name>Slopscope::ProviderStatusBoard</name>
    <message>
        <source>rate-limited</source>
        <translation>レート制限中</translation>
    </message>
    <message>
        <source>%1: %2, resuming now</source>
        <translation>%1: %2、今すぐ再開します</translation>
    </message>
    <message>
        <source>%1: %2, resuming in %3</source>
        <translation>%1: %2、%3 後に再開します</translation>
    </message>
    <message>
        <source>%1: stopped — %2</source>
        <translation>%1: 停止 — %2</translation>
    </message>
    <message>
        <source>%1: offline — waiting for the network</source>
        <translation>%1: オフライン — ネットワークを待機中</translation>
    </message>
</context>
<context>
    <name>Slopscope::ProviderStatusStrip</name>
    <message>
        <source>Provider status</source>
        <translation>プロバイダーの状態</translation>
    </message>
</context>
<context>
    <name>Slopscope::ProvidersSettingsPage</name>
    <message>
        <source>Providers</source>
        <translation>プロバイダー</translation>
    </message>
    <message>
        <source>Targets</source>
        <translation>ターゲット</translation>
    </message>
    <message>
        <source>Select a provider or a target.</source>
        <translation>プロバイダーまたはターゲットを選択してください。</translation>
    </message>
    <message>
        <source>Providers and targets</source>
        <translation>プロバイダーとターゲット</translation>
    </message>
    <message>
        <source>&amp;Add Provider</source>
        <translation>プロバイダーを追加(&amp;A)</translation>
    </message>
    <message>
        <source>Other OpenAI-compatible server (blank)</source>
        <translation>その他の OpenAI 互換サーバー（空）</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>削除(&amp;M)</translation>
    </message>
    <message>
        <source>Remove the selected provider</source>
        <translation>選択したプロバイダーを削除</translation>
    </message>
    <message>
        <source>Remove Provider</source>
        <translation>プロバイダーを削除</translation>
    </message>
    <message>
        <source>%1

Remove these targets together with provider &quot;%2&quot;?</source>
        <translation>%1

これらのターゲットをプロバイダー &quot;%2&quot; と一緒に削除しますか？</translation>
    </message>
    <message>
        <source>Remove All</source>
        <translation>すべて削除</translation>
    </message>
    <message numerus="yes">
        <source>Provider &quot;%1&quot; is used by %n target(s): %2.</source>
        <translation>
            <numerusform>プロバイダー &quot;%1&quot; は %n 個のターゲットで使用されています: %2。</numerusform>
        </translation>
    </message>
    <message>
        <source>Not removed. %1</source>
        <translation>削除されませんでした。%1</translation>
    </message>
    <message numerus="yes">
        <source>Removed provider &quot;%1&quot; and %n target(s) with it.</source>
        <translation>
            <numerusform>プロバイダー &quot;%1&quot; とそれを使用する %n 個のターゲットを削除しました。</numerusform>
        </translation>
    </message>
    <message>
        <source>Removed provider &quot;%1&quot;.</source>
        <translation>プロバイダー &quot;%1&quot; を削除しました。</translation>
    </message>
    <message>
        <source>%1.id: duplicate provider id &quot;%2&quot;</source>
        <translation>%1.id: プロバイダー ID &quot;%2&quot; が重複しています</translation>
    </message>
    <message>
        <source>e.g. .corp.example, 10.0.0.0/8, gpu-box:11434</source>
        <translation>例: .corp.example, 10.0.0.0/8, gpu-box:11434</translation>
    </message>
    <message>
        <source>Hosts that never go through the proxy, besides those in no_proxy: names, .suffixes, IP addresses, CIDR blocks, host:port, or * for all. Comma-separated. This computer always goes direct.</source>
        <translation>no_proxy に含まれるもの以外でプロキシを経由しないホスト: 名前、.サフィックス、IP アドレス、CIDR ブロック、host:port、またはすべてを表す *。カンマ区切り。このコンピューターは常に直接接続します。</translation>
    </message>
    <message>
        <source>Hosts that bypass the proxy</source>
        <translation>プロキシを経由しないホスト</translation>
    </message>
    <message>
        <source>&amp;Bypass the proxy for:</source>
        <translation>プロキシを経由しない対象(&amp;B):</translation>
    </message>
</context>
<context>
    <name>Slopscope::ProxyCredentialsDialog</name>
    <message>
        <source>Proxy Authentication</source>
        <translation>プロキシ認証</translation>
    </message>
    <message>
        <source>The proxy refused these credentials for the requests to %1. Enter them again.</source>
        <translation>%1 へのリクエストに対し、プロキシがこの認証情報を拒否しました。再入力してください。</translation>
    </message>
    <message>
        <source>The proxy asks for a user name and password before it forwards the requests to %1.</source>
        <translation>プロキシは %1 へのリクエストを転送する前にユーザー名とパスワードを要求しています。</translation>
    </message>
    <message>
        <source>Proxy user name</source>
        <translation>プロキシのユーザー名</translation>
    </message>
    <message>
        <source>Proxy password</source>
        <translation>プロキシのパスワード</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>ユーザー名(&amp;U):</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>パスワード(&amp;P):</translation>
    </message>
    <message>
        <source>Kept in memory until Slopscope quits; never saved. Run again (or retry the failed cells) to send the requests with them.</source>
        <translation>Slopscope の終了までメモリに保持され、保存はされません。もう一度実行する(または失敗したセルを再試行する)と、この認証情報でリクエストを送信します。</translation>
    </message>
    <message>
        <source>&amp;Use</source>
        <translation>使用(&amp;U)</translation>
    </message>
</context>
<context>
    <name>Slopscope::ProxyRules</name>
    <message>
        <source>%1: &quot;%2&quot; is not a proxy URL (expected http://host:port)</source>
        <translation>%1: &quot;%2&quot; はプロキシ URL ではありません (http://host:port の形式が必要です)</translation>
    </message>
    <message>
        <source>%1: %2: a proxy reached over TLS (https://) is not supported; use http://, the connection to the provider is still encrypted end to end</source>
        <translation>%1: %2: TLS (https://) 経由で接続するプロキシはサポートされていません。http:// を使用してください。プロバイダーとの通信はそれでもエンドツーエンドで暗号化されます</translation>
    </message>
    <message>
        <source>%1: %2: unsupported proxy scheme &quot;%3&quot; (expected http:// or socks5://)</source>
        <translation>%1: %2: サポートされていないプロキシスキーム &quot;%3&quot; です (http:// または socks5:// が必要です)</translation>
    </message>
    <message>
        <source>%1: %2: a proxy URL has no path</source>
        <translation>%1: %2: プロキシ URL にパスは指定できません</translation>
    </message>
    <message>
        <source>%1: proxy credentials are secrets and are not read from workspace files; set them in https_proxy (http://user:password@host:port)</source>
        <translation>%1: プロキシの認証情報は秘密情報のため、ワークスペースファイルからは読み込まれません。https_proxy で設定してください (http://user:password@host:port)</translation>
    </message>
    <message>
        <source>direct</source>
        <translation>直接</translation>
    </message>
    <message>
        <source>via %1://%2:%3</source>
        <translation>%1://%2:%3 経由</translation>
    </message>
</context>
<context>
    <name>Slopscope::QuadrantChart</name>
    <message>
        <source>Price · speed · quality</source>
        <translation>価格 · 速度 · 品質</translation>
    </message>
    <message>
        <source>Cost per 1,000 cases (USD, log scale)</source>
        <translation>1,000 ケースあたりのコスト (USD、対数目盛)</translation>
    </message>
    <message>
        <source>Blended price per million tokens (USD, log scale)</source>
        <translation>100 万トークンあたりの混合価格 (USD、対数目盛)</translation>
    </message>
    <message>
        <source>Median time to first token (ms)</source>
        <translation>最初のトークンまでの時間の中央値 (ms)</translation>
    </message>
    <message>
        <source>Decode speed (tokens/s)</source>
        <translation>デコード速度 (トークン/秒)</translation>
    </message>
    <message>
        <source>95th percentile latency (ms)</source>
        <translation>95 パーセンタイルのレイテンシ (ms)</translation>
    </message>
    <message>
        <source>cheap &amp; good</source>
        <translation>安価で高品質</translation>
    </message>
    <message>
        <source>expensive &amp; good</source>
        <translation>高価で高品質</translation>
    </message>
    <message>
        <source>fast &amp; good</source>
        <translation>高速で高品質</translation>
    </message>
    <message>
        <source>slow &amp; good</source>
        <translation>低速で高品質</translation>
    </message>
    <message>
        <source>cheap &amp; weak</source>
        <translation>安価で低品質</translation>
    </message>
    <message>
        <source>expensive &amp; weak</source>
        <translation>高価で低品質</translation>
    </message>
    <message>
        <source>fast &amp; weak</source>
        <translation>高速で低品質</translation>
    </message>
    <message>
        <source>slow &amp; weak</source>
        <translation>低速で低品質</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>不明</translation>
    </message>
    <message>
        <source> (95% interval %1–%2%)</source>
        <translation> (95% 区間 %1–%2%)</translation>
    </message>
    <message>
        <source>%1
quality %2, n = %3
cost per 1,000 cases $%4
blended $%5 / Mtok
TTFT p50 %6 ms · p95 latency %7 ms
decode %8 tokens/s</source>
        <translation>%1
品質 %2、n = %3
1,000 ケースあたりのコスト $%4
混合価格 $%5 / Mtok
TTFT p50 %6 ms · p95 レイテンシ %7 ms
デコード %8 トークン/秒</translation>
    </message>
    <message>
        <source>Quality (%)</source>
        <translation>品質 (%)</translation>
    </message>
    <message>
        <source>Pareto frontier</source>
        <translation>パレートフロンティア</translation>
    </message>
    <message>
        <source>Slopscope quadrant</source>
        <translation>Slopscope 象限図</translation>
    </message>
    <message>
        <source>Unknown chart format &quot;%1&quot;: use .png, .svg or .pdf</source>
        <translation>不明なグラフ形式 &quot;%1&quot;: .png、.svg、.pdf のいずれかを使ってください</translation>
    </message>
    <message>
        <source>Cannot write %1</source>
        <translation>%1 を書き込めません</translation>
    </message>
    <message>
        <source>Policy %1
%2
quality %3% (95% interval %4–%5%), n = %6
cost per 1,000 cases $%7
p95 latency %8 ms
escalated %9%</source>
        <translation>ポリシー %1
%2
品質 %3% (95% 区間 %4–%5%)、n = %6
1,000 ケースあたりのコスト $%7
p95 レイテンシ %8 ms
エスカレート %9%</translation>
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
        <translation>1,000 ケースあたりのコスト</translation>
    </message>
    <message>
        <source>Blended $/Mtok</source>
        <translation>混合価格 $/Mtok</translation>
    </message>
    <message>
        <source>Median TTFT</source>
        <translation>TTFT 中央値</translation>
    </message>
    <message>
        <source>Decode tokens/s</source>
        <translation>デコード トークン/秒</translation>
    </message>
    <message>
        <source>p95 latency</source>
        <translation>p95 レイテンシ</translation>
    </message>
    <message>
        <source>Quadrant x axis</source>
        <translation>象限図の x 軸</translation>
    </message>
    <message>
        <source>The figure along the horizontal axis: a price or a speed.</source>
        <translation>横軸に置く指標: 価格または速度。</translation>
    </message>
    <message>
        <source>Canonical only</source>
        <translation>正規の文言のみ</translation>
    </message>
    <message>
        <source>Variants only</source>
        <translation>言い換えのみ</translation>
    </message>
    <message>
        <source>Canonical and variants</source>
        <translation>正規の文言と言い換え</translation>
    </message>
    <message>
        <source>Quadrant quality</source>
        <translation>象限図の品質</translation>
    </message>
    <message>
        <source>Fixed d&amp;ividers</source>
        <translation>固定の区切り線(&amp;I)</translation>
    </message>
    <message>
        <source>Split the quadrant at your own thresholds instead of the lineup&apos;s medians.</source>
        <translation>ターゲット群の中央値ではなく、独自のしきい値で象限図を分割します。</translation>
    </message>
    <message>
        <source>Vertical divider position</source>
        <translation>縦の区切り線の位置</translation>
    </message>
    <message>
        <source>Where the vertical divider sits, in the x axis&apos;s unit.</source>
        <translation>縦の区切り線の位置 (x 軸の単位)。</translation>
    </message>
    <message>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <source>Horizontal divider position</source>
        <translation>横の区切り線の位置</translation>
    </message>
    <message>
        <source>The quality at which the horizontal divider sits.</source>
        <translation>横の区切り線を置く品質。</translation>
    </message>
    <message>
        <source>&amp;X axis:</source>
        <translation>X 軸(&amp;X):</translation>
    </message>
    <message>
        <source>&amp;Quality:</source>
        <translation>品質(&amp;Q):</translation>
    </message>
    <message>
        <source>x &amp;at</source>
        <translation>x の位置(&amp;A)</translation>
    </message>
    <message>
        <source>q&amp;uality at</source>
        <translation>品質の位置(&amp;U)</translation>
    </message>
    <message>
        <source>Quality, variants only (%)</source>
        <translation>品質、言い換えのみ (%)</translation>
    </message>
    <message>
        <source>Quality, canonical and variants (%)</source>
        <translation>品質、正規の文言と言い換え (%)</translation>
    </message>
    <message>
        <source>Quality, canonical only (%)</source>
        <translation>品質、正規の文言のみ (%)</translation>
    </message>
    <message>
        <source>Within time budget</source>
        <translation>制限時間内</translation>
    </message>
    <message>
        <source>Which answers the quality counts: the suite&apos;s own wording, only the rewordings (run with Variants checked), or both; or the suite&apos;s own wording with an answer later than its case&apos;s time budget (the suite&apos;s time_budget_ms) counted as a failure.</source>
        <translation>品質の集計対象とする回答: スイートの元の文言、言い換えのみ (バリアントにチェックを入れて実行)、またはその両方。あるいはスイートの元の文言で、ケースの制限時間 (スイートの time_budget_ms) を超えた回答を失敗として数えます。</translation>
    </message>
    <message>
        <source>Quality within budget (%)</source>
        <translation>制限時間内の品質 (%)</translation>
    </message>
</context>
<context>
    <name>Slopscope::QuickCompareSession</name>
    <message>
        <source>the answer was cut off before its end</source>
        <translation>回答が途中で切れました</translation>
    </message>
    <message>
        <source>the provider stopped before the answer was complete</source>
        <translation>回答が完了する前にプロバイダーが停止しました</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>停止しました</translation>
    </message>
    <message>
        <source>the request failed</source>
        <translation>リクエストが失敗しました</translation>
    </message>
    <message>
        <source>The last prompt is still being answered: wait for it or stop it first.</source>
        <translation>前のプロンプトへの回答がまだ続いています。完了を待つか、先に停止してください。</translation>
    </message>
    <message>
        <source>Type a prompt first.</source>
        <translation>先にプロンプトを入力してください。</translation>
    </message>
    <message>
        <source>Check at least one target.</source>
        <translation>ターゲットを 1 つ以上チェックしてください。</translation>
    </message>
    <message>
        <source>Quick compare</source>
        <translation>クイック比較</translation>
    </message>
    <message>
        <source>The workspace has no target &quot;%1&quot;.</source>
        <translation>ワークスペースにターゲット「%1」はありません。</translation>
    </message>
    <message>
        <source>There is no exchange %1 in this chat.</source>
        <translation>このチャットにやり取り %1 はありません。</translation>
    </message>
    <message>
        <source>The target &quot;%1&quot; did not take part in exchange %2.</source>
        <translation>ターゲット「%1」はやり取り %2 に参加していません。</translation>
    </message>
    <message>
        <source>This chat has spent $%1, its spend cap of $%2: raise the cap or start a new chat.</source>
        <translation>このチャットの支出は $%1 で、支出上限 $%2 に達しました: 上限を引き上げるか、新しいチャットを開始してください。</translation>
    </message>
    <message>
        <source>stopped: %1</source>
        <translation>停止: %1</translation>
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
        <translation>新しいチャット: 下にプロンプトを入力して Ctrl+Enter を押してください。</translation>
    </message>
    <message>
        <source>Type a prompt below and press Ctrl+Enter to send it to every checked target.</source>
        <translation>下にプロンプトを入力して Ctrl+Enter を押すと、チェックしたすべてのターゲットに送信されます。</translation>
    </message>
    <message>
        <source>Exchange:</source>
        <translation>やり取り:</translation>
    </message>
    <message>
        <source>Exchange to save</source>
        <translation>保存するやり取り</translation>
    </message>
    <message>
        <source>as seen by</source>
        <translation>視点</translation>
    </message>
    <message>
        <source>Target whose conversation is saved</source>
        <translation>会話を保存するターゲット</translation>
    </message>
    <message>
        <source>its answer as reference</source>
        <translation>その回答を参照回答にする</translation>
    </message>
    <message>
        <source>Save as Suite Case</source>
        <translation>スイートのケースとして保存</translation>
    </message>
    <message>
        <source>Adds this exchange, with the conversation before it, to the selected suite</source>
        <translation>このやり取りを、それまでの会話とともに選択したスイートに追加します</translation>
    </message>
    <message>
        <source>vs</source>
        <translation>対</translation>
    </message>
    <message>
        <source>Target whose answer is diffed</source>
        <translation>回答を比較するターゲット</translation>
    </message>
    <message>
        <source>Diff</source>
        <translation>差分</translation>
    </message>
    <message>
        <source>Shows the two answers to this exchange side by side, the differing words marked</source>
        <translation>このやり取りに対する 2 つの回答を並べて表示し、異なる単語を強調します</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>システムプロンプト</translation>
    </message>
    <message>
        <source>Optional: instructions every target gets first (sent with every turn)</source>
        <translation>任意: すべてのターゲットが最初に受け取る指示 (毎ターン送信されます)</translation>
    </message>
    <message>
        <source>Ask every checked target… (Ctrl+Enter sends)</source>
        <translation>チェックしたすべてのターゲットに質問… (Ctrl+Enter で送信)</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>プロンプト</translation>
    </message>
    <message>
        <source>Attach Text File…</source>
        <translation>テキストファイルを添付…</translation>
    </message>
    <message>
        <source>Plain-text files up to %1, folded into the prompt with their names</source>
        <translation>%1 までのプレーンテキストファイル。ファイル名とともにプロンプトに組み込まれます</translation>
    </message>
    <message>
        <source>New Chat</source>
        <translation>新しいチャット</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>送信</translation>
    </message>
    <message>
        <source>Send to every checked target (Ctrl+Enter)</source>
        <translation>チェックしたすべてのターゲットに送信 (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Attach Text File</source>
        <translation>テキストファイルを添付</translation>
    </message>
    <message>
        <source>Text files (*.txt *.md *.csv *.json *.log *.xml *.yaml *.yml);;All files (*)</source>
        <translation>テキストファイル (*.txt *.md *.csv *.json *.log *.xml *.yaml *.yml);;すべてのファイル (*)</translation>
    </message>
    <message>
        <source>%1  ✕</source>
        <translation>%1  ✕</translation>
    </message>
    <message>
        <source>Remove %1 from the prompt</source>
        <translation>%1 をプロンプトから削除</translation>
    </message>
    <message>
        <source>▶ You: %1</source>
        <translation>▶ あなた: %1</translation>
    </message>
    <message>
        <source>(attached: %1)</source>
        <translation>(添付: %1)</translation>
    </message>
    <message>
        <source>[Not part of the conversation (%1): the next turns were sent to this target without this exchange.]</source>
        <translation>[会話に含まれません (%1): 以降のターンはこのやり取りを除いてこのターゲットに送信されました。]</translation>
    </message>
    <message>
        <source>Turn %1: %2</source>
        <translation>ターン %1: %2</translation>
    </message>
    <message numerus="yes">
        <source>Sending turn %1 to %n target(s)…</source>
        <translation>
            <numerusform>ターン %1 を %n 個のターゲットに送信中…</numerusform>
        </translation>
    </message>
    <message>
        <source>attempt %1</source>
        <translation>試行 %1</translation>
    </message>
    <message>
        <source>[%1 This answer stays out of the conversation: the next turn is sent to this target without this exchange.]</source>
        <translation>[%1 この回答は会話に含まれません。次のターンはこのやり取りを除いてこのターゲットに送信されます。]</translation>
    </message>
    <message>
        <source>spent $%1 in this chat</source>
        <translation>このチャットでの支出: $%1</translation>
    </message>
    <message>
        <source>Turn %1 answered. %2</source>
        <translation>ターン %1 の回答が届きました。%2</translation>
    </message>
    <message numerus="yes">
        <source>Turn %1: %n answer(s) incomplete. %2</source>
        <translation>
            <numerusform>ターン %1: %n 件の回答が不完全です。%2</numerusform>
        </translation>
    </message>
    <message>
        <source>%1. %2</source>
        <translation>%1。%2</translation>
    </message>
    <message>
        <source>New chat.</source>
        <translation>新しいチャット。</translation>
    </message>
    <message>
        <source>Stopped: %1; %2</source>
        <translation>停止: %1; %2</translation>
    </message>
</context>
<context>
    <name>Slopscope::RatedCellDelegate</name>
    <message>
        <source>Rated: %1</source>
        <translation>評価: %1</translation>
    </message>
    <message>
        <source>Rated: %1 — %2</source>
        <translation>評価: %1 — %2</translation>
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
        <translation>あなたの評価</translation>
    </message>
    <message>
        <source>Your rating:</source>
        <translation>あなたの評価:</translation>
    </message>
    <message>
        <source>Pass</source>
        <translation>合格</translation>
    </message>
    <message>
        <source>The answer passes (key P)</source>
        <translation>回答を合格にします (P キー)</translation>
    </message>
    <message>
        <source>Fail</source>
        <translation>不合格</translation>
    </message>
    <message>
        <source>The answer fails (key F)</source>
        <translation>回答を不合格にします (F キー)</translation>
    </message>
    <message>
        <source>%1★</source>
        <translation>%1★</translation>
    </message>
    <message numerus="yes">
        <source>%n star(s) of 5 (key %n)</source>
        <translation>
            <numerusform>星 %n / 5 (%n キー)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n star(s)</source>
        <translation>
            <numerusform>星 %n 個</numerusform>
        </translation>
    </message>
    <message>
        <source>Rating note</source>
        <translation>評価メモ</translation>
    </message>
    <message>
        <source>Note (optional, Enter saves)</source>
        <translation>メモ (任意、Enter で保存)</translation>
    </message>
    <message>
        <source>An optional note; Enter saves it with the chosen rating</source>
        <translation>任意のメモです。Enter を押すと、選択した評価と一緒に保存されます</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>元に戻す</translation>
    </message>
    <message>
        <source>Take back the last rating of this answer</source>
        <translation>この回答の最後の評価を取り消します</translation>
    </message>
    <message>
        <source>How often your pass/fail matches the judge&apos;s on the answers both graded (4 stars and up count as a pass); Cohen&apos;s kappa corrects for chance</source>
        <translation>両者が採点した回答で、あなたの合格/不合格がジャッジの判定とどれだけ一致するか (星 4 以上は合格とみなします)。Cohen のカッパ係数は偶然による一致を補正します</translation>
    </message>
    <message>
        <source>Choose Pass, Fail or stars first: the note is saved with them.</source>
        <translation>先に合格、不合格、または星を選んでください: メモはそれと一緒に保存されます。</translation>
    </message>
</context>
<context>
    <name>Slopscope::RatingBook</name>
    <message>
        <source>pass</source>
        <translation>合格</translation>
    </message>
    <message>
        <source>fail</source>
        <translation>不合格</translation>
    </message>
    <message>
        <source>[★%1]</source>
        <comment>a matrix cell&apos;s human rating in stars</comment>
        <translation>[★%1]</translation>
    </message>
    <message>
        <source>[pass]</source>
        <comment>a matrix cell&apos;s human rating</comment>
        <translation>[合格]</translation>
    </message>
    <message>
        <source>[fail]</source>
        <comment>a matrix cell&apos;s human rating</comment>
        <translation>[不合格]</translation>
    </message>
    <message>
        <source>Ratings could not be read, cells show as unrated: %1</source>
        <translation>評価を読み込めなかったため、セルは未評価として表示されます: %1</translation>
    </message>
</context>
<context>
    <name>Slopscope::ResultMatrixModel</name>
    <message>
        <source>completed</source>
        <translation>完了</translation>
    </message>
    <message>
        <source>stopped early</source>
        <translation>早期停止</translation>
    </message>
    <message>
        <source>truncated</source>
        <translation>打ち切り</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>不合格</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>キャンセルされました</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>待機中</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>(empty answer)</source>
        <translation>(空の回答)</translation>
    </message>
    <message>
        <source>%1 %2/%3 · %4 · %5</source>
        <translation>%1 %2/%3 · %4 · %5</translation>
    </message>
    <message>
        <source>%1 · case %2</source>
        <translation>%1 · ケース %2</translation>
    </message>
    <message>
        <source> · variant %1</source>
        <translation> · 言い換え %1</translation>
    </message>
    <message>
        <source>Score %1 · %2/%3 passed</source>
        <translation>スコア %1 · %2/%3 合格</translation>
    </message>
    <message>
        <source>Repeat %1: score %2</source>
        <translation>繰り返し %1: スコア %2</translation>
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
            <numerusform>…ほか %n 回の繰り返し</numerusform>
        </translation>
    </message>
    <message>
        <source>Tags: %1</source>
        <translation>タグ: %1</translation>
    </message>
    <message>
        <source>No answer yet</source>
        <translation>まだ回答がありません</translation>
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
        <translation>不合格のみ(&amp;F)</translation>
    </message>
    <message>
        <source>Show only the cases where some answer did not pass</source>
        <translation>不合格の回答を含むケースだけを表示します</translation>
    </message>
    <message>
        <source>&amp;Tag</source>
        <translation>タグ(&amp;T)</translation>
    </message>
    <message>
        <source>Tag filter</source>
        <translation>タグフィルター</translation>
    </message>
    <message>
        <source>&amp;Wording</source>
        <translation>文言(&amp;W)</translation>
    </message>
    <message>
        <source>Wording filter</source>
        <translation>文言フィルター</translation>
    </message>
    <message>
        <source>Canonical and variants</source>
        <translation>正規の文言と言い換え</translation>
    </message>
    <message>
        <source>Canonical only</source>
        <translation>正規の文言のみ</translation>
    </message>
    <message>
        <source>Variants only</source>
        <translation>言い換えのみ</translation>
    </message>
    <message>
        <source>Results matrix</source>
        <translation>結果マトリックス</translation>
    </message>
    <message>
        <source>All tags</source>
        <translation>すべてのタグ</translation>
    </message>
    <message>
        <source>✓ all passed   ◐ some   ✗ none   … awaiting judge   [pass] [★4] your rating</source>
        <translation>✓ すべて合格   ◐ 一部   ✗ なし   … ジャッジ待ち   [合格] [★4] あなたの評価</translation>
    </message>
    <message>
        <source>No history is recorded: ratings are kept for this session only.</source>
        <translation>履歴が記録されていません: 評価はこのセッションの間だけ保持されます。</translation>
    </message>
    <message numerus="yes">
        <source>Agreement with the judge: %1% (Cohen&apos;s κ %2) over %n rated answer(s)</source>
        <translation>
            <numerusform>ジャッジとの一致率: %1% (Cohen の κ %2)、評価済みの回答 %n 件</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Slopscope::RoutingComparisonModel</name>
    <message>
        <source>single target</source>
        <translation>単一ターゲット</translation>
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
        <translation>記録 %1 / オラクル %2</translation>
    </message>
    <message>
        <source>none</source>
        <translation>なし</translation>
    </message>
    <message>
        <source>%1 answers, %2 verdicts</source>
        <translation>回答 %1、判定 %2</translation>
    </message>
    <message>
        <source>Select the row to list what is missing below the table.</source>
        <translation>行を選択すると、不足しているものが表の下に一覧表示されます。</translation>
    </message>
    <message>
        <source>On %1 case(s); %2 replay(s) left out for missing data, %3 without a score.</source>
        <translation>%1 ケースで算出。データ不足で除外した再生 %2 件、スコアなし %3 件。</translation>
    </message>
    <message>
        <source>%1 replay(s) of unknown cost: no total is shown rather than a partial one.</source>
        <translation>コスト不明の再生が %1 件: 部分的な合計ではなく、合計を表示しません。</translation>
    </message>
    <message>
        <source>Policy / target</source>
        <translation>ポリシー / ターゲット</translation>
    </message>
    <message>
        <source>Route</source>
        <translation>ルート</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>品質</translation>
    </message>
    <message>
        <source>95% interval</source>
        <translation>95% 区間</translation>
    </message>
    <message>
        <source>$ / 1,000 cases</source>
        <translation>$ / 1,000 ケース</translation>
    </message>
    <message>
        <source>p50 latency</source>
        <translation>p50 レイテンシ</translation>
    </message>
    <message>
        <source>p95 latency</source>
        <translation>p95 レイテンシ</translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation>エスカレート</translation>
    </message>
    <message>
        <source>Verdicts</source>
        <translation>判定</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>不足</translation>
    </message>
</context>
<context>
    <name>Slopscope::RoutingDialog</name>
    <message>
        <source>answer   case %1, repeat %2: %3</source>
        <translation>回答  ケース %1、繰り返し %2: %3</translation>
    </message>
    <message>
        <source>verdict  case %1, repeat %2: %3 on %4&apos;s answer</source>
        <translation>判定  ケース %1、繰り返し %2: %4 の回答に対する %3</translation>
    </message>
    <message>
        <source>Routing Policies</source>
        <translation>ルーティング ポリシー</translation>
    </message>
    <message>
        <source>No finished run to replay yet: run a suite, or open one from File ▸ History.</source>
        <translation>再生できる完了済みの実行がまだありません: スイートを実行するか、ファイル ▸ 履歴 から開いてください。</translation>
    </message>
    <message>
        <source>Policies</source>
        <translation>ポリシー</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>追加(&amp;A)</translation>
    </message>
    <message>
        <source>Cascade</source>
        <translation>カスケード</translation>
    </message>
    <message>
        <source>By Tag</source>
        <translation>タグ別</translation>
    </message>
    <message>
        <source>Best of N</source>
        <translation>N 個中の最良</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>削除(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Load…</source>
        <translation>読み込み(&amp;L)…</translation>
    </message>
    <message>
        <source>&amp;Save…</source>
        <translation>保存(&amp;S)…</translation>
    </message>
    <message>
        <source>Replace the list with the policies of a policy file (docs/ROUTING.md).</source>
        <translation>一覧をポリシー ファイルのポリシーで置き換えます (docs/ROUTING.md)。</translation>
    </message>
    <message>
        <source>Selected policy</source>
        <translation>選択中のポリシー</translation>
    </message>
    <message>
        <source>A&amp;pply</source>
        <translation>適用(&amp;P)</translation>
    </message>
    <message>
        <source>Comparison: every row replayed over the same recorded cells</source>
        <translation>比較: どの行も同じ記録済みセルで再生されます</translation>
    </message>
    <message>
        <source>Search the lineup</source>
        <translation>ラインアップを検索</translation>
    </message>
    <message>
        <source>&amp;Find</source>
        <translation>検索(&amp;F)</translation>
    </message>
    <message>
        <source>F&amp;ind</source>
        <translation>検索(&amp;I)</translation>
    </message>
    <message>
        <source>Cheapest policy with quality at least</source>
        <translation>品質がこの値以上で最も安いポリシー</translation>
    </message>
    <message>
        <source>Best quality at a cost per 1,000 cases of at most</source>
        <translation>1,000 ケースあたりのコストがこの値以下で最高の品質</translation>
    </message>
    <message>
        <source>Missing for the selected row</source>
        <translation>選択した行で不足しているもの</translation>
    </message>
    <message>
        <source>Replaying %1: %2 on %3 target(s), %4 recorded cell(s). Nothing is sent.</source>
        <translation>%1 を再生中: %2、ターゲット %3 件、記録済みセル %4 件。何も送信しません。</translation>
    </message>
    <message>
        <source>Select a row of the table.</source>
        <translation>表の行を選択してください。</translation>
    </message>
    <message>
        <source>%1: nothing missing; every replay is complete.</source>
        <translation>%1: 不足はありません。すべての再生が完全です。</translation>
    </message>
    <message>
        <source>policy</source>
        <translation>ポリシー</translation>
    </message>
    <message>
        <source>cascade</source>
        <translation>カスケード</translation>
    </message>
    <message>
        <source>by tag</source>
        <translation>タグ別</translation>
    </message>
    <message>
        <source>best of N</source>
        <translation>N 個中の最良</translation>
    </message>
    <message>
        <source>Added &quot;%1&quot;: edit it and press Apply.</source>
        <translation>「%1」を追加しました: 編集して [適用] を押してください。</translation>
    </message>
    <message>
        <source>Another policy is already called &quot;%1&quot;.</source>
        <translation>「%1」という名前のポリシーは既にあります。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; replayed.</source>
        <translation>「%1」を再生しました。</translation>
    </message>
    <message>
        <source>Cannot load the policies: %1</source>
        <translation>ポリシーを読み込めません: %1</translation>
    </message>
    <message>
        <source>Cannot save the policies: %1</source>
        <translation>ポリシーを保存できません: %1</translation>
    </message>
    <message>
        <source>Load Routing Policies</source>
        <translation>ルーティング ポリシーを読み込む</translation>
    </message>
    <message>
        <source>Routing policies (*.json);;All files (*)</source>
        <translation>ルーティング ポリシー (*.json);;すべてのファイル (*)</translation>
    </message>
    <message>
        <source>Save Routing Policies</source>
        <translation>ルーティング ポリシーを保存</translation>
    </message>
    <message>
        <source>Routing policies (*.json)</source>
        <translation>ルーティング ポリシー (*.json)</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>検索中…</translation>
    </message>
    <message>
        <source>The run changed during the search: ask again.</source>
        <translation>検索中に実行が変わりました。もう一度検索してください。</translation>
    </message>
    <message>
        <source>None of the %1 policies considered meets it (with a known cost and quality).</source>
        <translation>検討した %1 件のポリシーのうち、(コストと品質が判明していて) 条件を満たすものはありません。</translation>
    </message>
    <message>
        <source>Answer, out of %1 policies: &quot;%2&quot; (selected in the list and the table).</source>
        <translation>%1 件のポリシーからの答え: 「%2」(一覧と表で選択済み)。</translation>
    </message>
    <message numerus="yes">
        <source>Loaded %n policy(ies) from %1.</source>
        <translation>
            <numerusform>%1 から %n 件のポリシーを読み込みました。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saved %n policy(ies) to %1.</source>
        <translation>
            <numerusform>%n 件のポリシーを %1 に保存しました。</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Fetch What Is Missing…</source>
        <translation>不足分を取得(&amp;F)…</translation>
    </message>
    <message>
        <source>Send only the answers and validator verdicts the policies&apos; replays lack, and record them into this run</source>
        <translation>ポリシーの再生に不足している回答と検証者の判定だけを送信し、この実行に記録します</translation>
    </message>
    <message>
        <source>No replay lacks anything that can be fetched.</source>
        <translation>取得できる不足分のある再生はありません。</translation>
    </message>
    <message>
        <source>They are recorded into this run, which keeps everything it already has.</source>
        <translation>これらはこの実行に記録され、既存の内容はすべて保持されます。</translation>
    </message>
    <message>
        <source>Fetch What Is Missing</source>
        <translation>不足分を取得</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>送信</translation>
    </message>
    <message>
        <source>pick     case %1, repeat %2: %3 over %4</source>
        <translation>選択     ケース %1、反復 %2: %4 から %3 が選ぶ</translation>
    </message>
    <message numerus="yes">
        <source>Send %n answer request(s),</source>
        <translation>
            <numerusform>回答リクエスト %n 件を送信し、</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>ask for %n validator verdict(s)</source>
        <translation>
            <numerusform>検証者の判定 %n 件と</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>and %n best-of-N pick(s)?</source>
        <translation>
            <numerusform>best-of-N の選択 %n 件を依頼しますか？</numerusform>
        </translation>
    </message>
    <message>
        <source>A pick asks the judge twice, the answers&apos; positions swapped.</source>
        <translation>選択では、回答の位置を入れ替えて審査モデルに 2 回尋ねます。</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) cannot be fetched: answers of targets the run did not compare.</source>
        <translation>
            <numerusform>%n 件は取得できません: この実行が比較しなかったターゲットの回答です。</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2 answer(s) and %3 verdict(s) or pick(s) missing; %4 replay(s) left out.</source>
        <translation>%1: 回答 %2 件と判定または選択 %3 件が不足; %4 件の再生を除外。</translation>
    </message>
</context>
<context>
    <name>Slopscope::RoutingPolicyEditor</name>
    <message>
        <source>Cascade: draft, validate, escalate</source>
        <translation>カスケード: 下書き、検証、エスカレート</translation>
    </message>
    <message>
        <source>By tag: route by the case&apos;s tags</source>
        <translation>タグ別: ケースのタグで振り分け</translation>
    </message>
    <message>
        <source>Best of N: a judge picks one answer</source>
        <translation>N 個中の最良: ジャッジが 1 つの回答を選択</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>名前(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Description</source>
        <translation>説明(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Kind</source>
        <translation>種類(&amp;K)</translation>
    </message>
    <message>
        <source>Target answers</source>
        <translation>回答するターゲット</translation>
    </message>
    <message>
        <source>Validator</source>
        <translation>検証者</translation>
    </message>
    <message>
        <source>Keep at score ≥</source>
        <translation>保持するスコア ≥</translation>
    </message>
    <message>
        <source>Each stage&apos;s answer is kept when its validator&apos;s score reaches the threshold; otherwise the next stage answers. The oracle reads the answer&apos;s own recorded grade: free, and an upper bound on a real validator.</source>
        <translation>各ステージの回答は、検証者のスコアがしきい値に達すると保持され、そうでなければ次のステージが回答します。オラクルは回答自身の記録済み評価を読みます。無料で、実際の検証者の上限です。</translation>
    </message>
    <message>
        <source>Add Stage</source>
        <translation>ステージを追加</translation>
    </message>
    <message>
        <source>Remove Stage</source>
        <translation>ステージを削除</translation>
    </message>
    <message>
        <source>Cases tagged</source>
        <translation>このタグのケース</translation>
    </message>
    <message>
        <source>go to</source>
        <translation>の送り先</translation>
    </message>
    <message>
        <source>Add Rule</source>
        <translation>ルールを追加</translation>
    </message>
    <message>
        <source>Remove Rule</source>
        <translation>ルールを削除</translation>
    </message>
    <message>
        <source>All other cases go to</source>
        <translation>その他のケースの送り先</translation>
    </message>
    <message>
        <source>Candidates (all answer; check two or more):</source>
        <translation>候補 (すべて回答します。2 つ以上チェック):</translation>
    </message>
    <message>
        <source>Judge picks one</source>
        <translation>1 つを選ぶジャッジ</translation>
    </message>
    <message>
        <source>%1 (not in this run)</source>
        <translation>%1 (この実行にはありません)</translation>
    </message>
    <message>
        <source>oracle (the answer&apos;s own grade)</source>
        <translation>オラクル (回答自身の評価)</translation>
    </message>
    <message>
        <source>%1 (recorded verdicts)</source>
        <translation>%1 (記録済みの判定)</translation>
    </message>
    <message>
        <source>%1 (no verdicts recorded)</source>
        <translation>%1 (判定の記録なし)</translation>
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
        <translation>ターゲット %1 はこの実行に含まれていませんでした。</translation>
    </message>
    <message>
        <source>Significantly worse than the first run: the 95% intervals do not overlap.</source>
        <translation>最初の実行より有意に悪化: 95% 区間が重なっていません。</translation>
    </message>
    <message>
        <source>Significantly better than the first run: the 95% intervals do not overlap.</source>
        <translation>最初の実行より有意に改善: 95% 区間が重なっていません。</translation>
    </message>
    <message>
        <source>Not significant: the 95% intervals overlap, so the change may be noise.</source>
        <translation>有意差なし: 95% 区間が重なっているため、変化はノイズの可能性があります。</translation>
    </message>
    <message numerus="yes">
        <source>Mean score over %n case(s); the range is a 95% bootstrap interval.</source>
        <translation>
            <numerusform>%n 件のケースの平均スコア。範囲は 95% ブートストラップ区間です。</numerusform>
        </translation>
    </message>
    <message>
        <source>The provider reported %1 here but %2 in the run before: the model may have been swapped without notice.</source>
        <translation>プロバイダーはここでは %1 を報告しましたが、前回の実行では %2 でした: モデルが予告なく差し替えられた可能性があります。</translation>
    </message>
    <message>
        <source>The model the provider reported; configured: %1</source>
        <translation>プロバイダーが報告したモデル。設定値: %1</translation>
    </message>
    <message>
        <source>Mean cost of one case.</source>
        <translation>1 ケースあたりの平均コスト。</translation>
    </message>
    <message numerus="yes">
        <source>Unknown: %n answer(s) had no known price.</source>
        <translation>
            <numerusform>不明: %n 件の回答に既知の価格がありませんでした。</numerusform>
        </translation>
    </message>
    <message>
        <source>Answers that did not complete, of those recorded.</source>
        <translation>記録された回答のうち、完了しなかったもの。</translation>
    </message>
    <message>
        <source>Target %1: the reported model changed between these runs.</source>
        <translation>ターゲット %1: これらの実行の間で報告モデルが変わりました。</translation>
    </message>
    <message>
        <source>Target %1</source>
        <translation>ターゲット %1</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>ターゲット</translation>
    </message>
    <message>
        <source>Run %1 of %2, the baseline the others are compared with.</source>
        <translation>実行 %1（%2）。他の実行の比較基準です。</translation>
    </message>
    <message>
        <source>Run %1 of %2</source>
        <translation>実行 %1（%2）</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>品質</translation>
    </message>
    <message>
        <source>TTFT</source>
        <translation>TTFT</translation>
    </message>
    <message>
        <source>Decode</source>
        <translation>デコード</translation>
    </message>
    <message>
        <source>Cost/case</source>
        <translation>コスト/ケース</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <source>Reported model</source>
        <translation>報告モデル</translation>
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
        <translation>%1（基準）</translation>
    </message>
</context>
<context>
    <name>Slopscope::RunComparisonView</name>
    <message>
        <source>Compare Runs</source>
        <translation>実行を比較</translation>
    </message>
    <message>
        <source>Each run against the oldest one. Bold ▼/▲ on a tint: a significant change (the 95% intervals do not overlap); ≈: within the noise. ⚠: the provider reported another model than in the run before, a sign of a silent model swap. —: unknown.</source>
        <translation>各実行を最も古い実行と比較します。色付き背景の太字 ▼/▲: 有意な変化（95% 区間が重ならない）。≈: ノイズの範囲内。⚠: プロバイダーが前回の実行とは別のモデルを報告（モデルがひそかに差し替えられた兆候）。—: 不明。</translation>
    </message>
    <message>
        <source>Targets across the compared runs</source>
        <translation>比較した実行にわたるターゲット</translation>
    </message>
    <message>
        <source>Show &amp;Drift…</source>
        <translation>ドリフトを表示(&amp;D)…</translation>
    </message>
    <message>
        <source>The selected target across every recorded run (Enter)</source>
        <translation>選択したターゲットを記録済みの全実行にわたって表示 (Enter)</translation>
    </message>
    <message>
        <source>No run %1 in the history.</source>
        <translation>履歴に実行 %1 がありません。</translation>
    </message>
    <message>
        <source>Reading the history…</source>
        <translation>履歴を読み込み中…</translation>
    </message>
    <message>
        <source>Cannot compare the runs: %1</source>
        <translation>実行を比較できません: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) compared, %1.</source>
        <translation>
            <numerusform>%n 件の実行を比較、%1。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n target(s)</source>
        <translation>
            <numerusform>ターゲット %n 件</numerusform>
        </translation>
    </message>
    <message>
        <source>fewer than two suite runs are selected (quick-compare exchanges are not compared).</source>
        <translation>選択されたスイート実行が 2 つ未満です(クイック比較のやり取りは比較されません)。</translation>
    </message>
</context>
<context>
    <name>Slopscope::RunListModel</name>
    <message>
        <source>running</source>
        <translation>実行中</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>完了</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>キャンセルされました</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>中断</translation>
    </message>
    <message numerus="yes">
        <source>%n result(s) without a known price are not counted.</source>
        <translation>
            <numerusform>価格が不明な %n 件の結果は計上されていません。</numerusform>
        </translation>
    </message>
    <message>
        <source>Run %1</source>
        <translation>実行 %1</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1/%2</translation>
    </message>
    <message>
        <source>$%1</source>
        <translation>$%1</translation>
    </message>
    <message>
        <source>%1 (resumed)</source>
        <translation>%1 (再開)</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>開始</translation>
    </message>
    <message>
        <source>Suite</source>
        <translation>スイート</translation>
    </message>
    <message>
        <source>Targets</source>
        <translation>ターゲット</translation>
    </message>
    <message>
        <source>Answers</source>
        <translation>回答</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>コスト</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Quick compare</source>
        <translation>クイック比較</translation>
    </message>
    <message numerus="yes">
        <source>%1 (one prompt sent to %n target(s)): %2</source>
        <translation>
            <numerusform>%1（1 つのプロンプトを %n 個のターゲットに送信）: %2</numerusform>
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
            <numerusform>ディスクがいっぱいです: %n 件の結果が保存待ちです</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saving is behind: %n result(s) waiting to be saved</source>
        <translation>
            <numerusform>保存が遅れています: %n 件の結果が保存待ちです</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Slopscope::RunScheduler</name>
    <message>
        <source>A run is already going</source>
        <translation>実行は既に進行中です</translation>
    </message>
    <message>
        <source>Job %1 names the unknown provider &quot;%2&quot;</source>
        <translation>ジョブ %1 は不明なプロバイダー &quot;%2&quot; を指定しています</translation>
    </message>
    <message>
        <source>Job ids must be unique and not empty (&quot;%1&quot;)</source>
        <translation>ジョブ ID は一意で、空でない必要があります (&quot;%1&quot;)</translation>
    </message>
    <message>
        <source>No run is going to add jobs to</source>
        <translation>ジョブを追加できる進行中の実行がありません</translation>
    </message>
    <message>
        <source>rate limit used up (provider headers)</source>
        <translation>レート制限を使い切りました (プロバイダーのヘッダー)</translation>
    </message>
    <message>
        <source>resuming in %1</source>
        <translation>%1 後に再開</translation>
    </message>
    <message>
        <source>rate-limited, %1</source>
        <translation>レート制限中、%1</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1、%2</translation>
    </message>
    <message numerus="yes">
        <source>(gave up after %n attempt(s))</source>
        <translation>
            <numerusform>(%n 回試行して断念)</numerusform>
        </translation>
    </message>
    <message>
        <source>Not sent: provider %1 stopped after an error no retry can fix: %2</source>
        <translation>未送信: プロバイダー %1 は再試行では解決できないエラーのため停止しました: %2</translation>
    </message>
    <message numerus="yes">
        <source>too many failures: %n retries in the last %1</source>
        <translation>
            <numerusform>失敗が多すぎます: 直近 %1 で %n 回再試行しました</numerusform>
        </translation>
    </message>
    <message>
        <source>offline — waiting for the network</source>
        <translation>オフライン — ネットワークを待機中</translation>
    </message>
    <message>
        <source>rate-limited</source>
        <translation>レート制限中</translation>
    </message>
</context>
<context>
    <name>Slopscope::RunSession</name>
    <message>
        <source>The workspace has no target &quot;%1&quot;.</source>
        <translation>ワークスペースにターゲット「%1」はありません。</translation>
    </message>
    <message>
        <source>No target is selected.</source>
        <translation>ターゲットが選択されていません。</translation>
    </message>
    <message>
        <source>The suite has no case to run.</source>
        <translation>スイートに実行するケースがありません。</translation>
    </message>
    <message>
        <source>Repeats must be at least 1.</source>
        <translation>繰り返し回数は 1 以上である必要があります。</translation>
    </message>
    <message>
        <source>A run is already going.</source>
        <translation>実行は既に進行中です。</translation>
    </message>
    <message>
        <source>Every cell of this run is already answered; there is nothing to resume.</source>
        <translation>この実行のすべてのセルは既に回答済みです。再開するものはありません。</translation>
    </message>
    <message>
        <source>The workspace has no target &quot;%1&quot; to be the judge.</source>
        <translation>ワークスペースにジャッジとなるターゲット &quot;%1&quot; はありません。</translation>
    </message>
    <message>
        <source>The judge &quot;%1&quot; names the unknown provider &quot;%2&quot;.</source>
        <translation>ジャッジ &quot;%1&quot; は不明なプロバイダー &quot;%2&quot; を指定しています。</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>キャンセルされました</translation>
    </message>
    <message>
        <source>spend cap of $%1 reached</source>
        <translation>支出上限 $%1 に達しました</translation>
    </message>
    <message>
        <source>the run ended before the judge answered</source>
        <translation>ジャッジが回答する前に実行が終了しました</translation>
    </message>
    <message>
        <source>no judge</source>
        <translation>ジャッジなし</translation>
    </message>
    <message>
        <source>waiting for the other targets&apos; answers</source>
        <translation>他のターゲットの回答待ち</translation>
    </message>
    <message>
        <source>llm-rubric needs a rubric (the assertion&apos;s value)</source>
        <translation>llm-rubric にはルーブリック (アサーションの値) が必要です</translation>
    </message>
    <message>
        <source>factuality needs a reference (the assertion&apos;s value or the case&apos;s reference)</source>
        <translation>factuality には参照回答 (アサーションの値、またはケースの参照回答) が必要です</translation>
    </message>
    <message>
        <source>waiting for the judge</source>
        <translation>ジャッジ待ち</translation>
    </message>
    <message>
        <source>the run stopped before the judge was asked</source>
        <translation>ジャッジに問い合わせる前に実行が停止しました</translation>
    </message>
    <message>
        <source>select-best needs at least two answers</source>
        <translation>select-best には少なくとも 2 件の回答が必要です</translation>
    </message>
    <message>
        <source>the judge call was cancelled</source>
        <translation>ジャッジの呼び出しはキャンセルされました</translation>
    </message>
    <message>
        <source>the judge request failed: %1</source>
        <translation>ジャッジへのリクエストが失敗しました: %1</translation>
    </message>
    <message>
        <source>no complete answer</source>
        <translation>完全な回答なし</translation>
    </message>
    <message>
        <source>%1 was picked: %2</source>
        <translation>%1 が選ばれました: %2</translation>
    </message>
    <message>
        <source>first ask picked %1, swapped ask picked %2</source>
        <translation>1 回目の質問では %1、入れ替え後の質問では %2 が選ばれました</translation>
    </message>
    <message>
        <source>The workspace has no usable target &quot;%1&quot; to be the validator.</source>
        <translation>ワークスペースに検証者として使えるターゲット「%1」がありません。</translation>
    </message>
    <message>
        <source>%1: no complete answer is recorded to judge</source>
        <translation>%1: 判定できる完全な回答が記録されていません</translation>
    </message>
    <message>
        <source>%1: the case has no rubric and no reference to judge the answer against</source>
        <translation>%1: このケースには回答を判定するためのルーブリックも参照もありません</translation>
    </message>
    <message>
        <source>%1: nothing the validator could be asked</source>
        <translation>%1: 検証者に依頼できる内容がありません</translation>
    </message>
    <message>
        <source>The workspace has no usable target &quot;%1&quot; to be the judge.</source>
        <translation>ワークスペースには審査モデルとして使えるターゲット「%1」がありません。</translation>
    </message>
    <message>
        <source>the answers to compare are gone</source>
        <translation>比較する回答がもうありません</translation>
    </message>
    <message>
        <source>%1: no complete answers to one case are recorded to compare</source>
        <translation>%1: 比較できる、同じケースへの完全な回答が記録されていません</translation>
    </message>
    <message>
        <source>the run ended before the code tests ran</source>
        <translation>コードテストが実行される前に実行が終了しました</translation>
    </message>
    <message>
        <source>not: %1</source>
        <translation>否定: %1</translation>
    </message>
    <message>
        <source>no code block in the answer</source>
        <translation>回答にコードブロックがありません</translation>
    </message>
    <message>
        <source>the run stopped before the code tests ran</source>
        <translation>コードテストが実行される前に実行が停止しました</translation>
    </message>
    <message>
        <source>waiting for the code tests</source>
        <translation>コードテストを待機中</translation>
    </message>
    <message>
        <source>the run was cancelled before the code tests finished</source>
        <translation>コードテストの完了前に実行がキャンセルされました</translation>
    </message>
    <message>
        <source>not compared: %1, whose chain did not answer turn %2</source>
        <translation>比較対象外: %1 (チェーンがターン %2 に応答しませんでした)</translation>
    </message>
</context>
<context>
    <name>Slopscope::SessionKeyStore</name>
    <message>
        <source>this session only</source>
        <translation>このセッションのみ</translation>
    </message>
</context>
<context>
    <name>Slopscope::SettingsDialog</name>
    <message>
        <source>Preferences</source>
        <translation>環境設定</translation>
    </message>
    <message>
        <source>&amp;Keys</source>
        <translation>キー(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;Appearance</source>
        <translation>外観(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Providers</source>
        <translation>プロバイダー(&amp;P)</translation>
    </message>
</context>
<context>
    <name>Slopscope::SingleInstance</name>
    <message>
        <source>Cannot write the instance lock %1: permission denied</source>
        <translation>インスタンスロック %1 を書き込めません: アクセスが拒否されました</translation>
    </message>
    <message>
        <source>Cannot write the instance lock %1</source>
        <translation>インスタンスロック %1 を書き込めません</translation>
    </message>
</context>
<context>
    <name>Slopscope::StoreWriter</name>
    <message>
        <source>The history file %1 does not exist; open it with HistoryStore first.</source>
        <translation>履歴ファイル %1 が存在しません。先に HistoryStore で開いてください。</translation>
    </message>
    <message>
        <source>Cannot open %1 for writing: %2</source>
        <translation>%1 を書き込み用に開けません: %2</translation>
    </message>
    <message>
        <source>Cannot prepare %1 for writing: %2</source>
        <translation>%1 の書き込みを準備できません: %2</translation>
    </message>
    <message>
        <source>%1 has history schema %2, but this version of Slopscope writes schema %3.</source>
        <translation>%1 の履歴スキーマは %2 ですが、このバージョンの Slopscope が書き込むのはスキーマ %3 です。</translation>
    </message>
    <message numerus="yes">
        <source>%n operation(s) could not be saved to %1 before closing.</source>
        <translation>
            <numerusform>閉じる前に %n 件の操作を %1 に保存できませんでした。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The history file %1 is locked by another program; waiting to save %n result(s).</source>
        <translation>
            <numerusform>履歴ファイル %1 は別のプログラムにロックされています。%n 件の結果の保存を待機しています。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The disk holding %1 is full (or the history reached its size limit). %n finished result(s) are kept in memory and saving is retried; free some space.</source>
        <translation>
            <numerusform>%1 のあるディスクがいっぱいです (または履歴がサイズ上限に達しました)。完了した %n 件の結果はメモリ上に保持され、保存を再試行します。空き容量を確保してください。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 has become read-only; %n result(s) are kept in memory and saving is retried.</source>
        <translation>
            <numerusform>%1 が読み取り専用になりました。%n 件の結果はメモリ上に保持され、保存を再試行します。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saving to %1 failed (%2); %n result(s) are kept in memory and saving is retried.</source>
        <translation>
            <numerusform>%1 への保存に失敗しました (%2)。%n 件の結果はメモリ上に保持され、保存を再試行します。</numerusform>
        </translation>
    </message>
    <message>
        <source>An entry could not be saved to %1 and was dropped: %2</source>
        <translation>項目を %1 に保存できず、破棄しました: %2</translation>
    </message>
    <message>
        <source>no run %1 in the history</source>
        <translation>履歴に実行 %1 はありません</translation>
    </message>
</context>
<context>
    <name>Slopscope::StreamHandler</name>
    <message>
        <source>response exceeded %1</source>
        <translation>応答が %1 を超えました</translation>
    </message>
    <message numerus="yes">
        <source>connection lost after %n content event(s): %1</source>
        <translation>
            <numerusform>%n 件のコンテンツイベントの後に接続が切れました: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 redirected the request (HTTP %2) to %3; redirects are not followed, so the key is not sent elsewhere. Check the provider&apos;s base URL</source>
        <translation>%1 がリクエストを %3 にリダイレクトしました (HTTP %2)。キーが他所に送信されないよう、リダイレクトには従いません。プロバイダーのベース URL を確認してください</translation>
    </message>
    <message>
        <source>an unnamed location</source>
        <translation>名前のない場所</translation>
    </message>
    <message>
        <source>%1 sent no HTTP response</source>
        <translation>%1 から HTTP 応答がありませんでした</translation>
    </message>
    <message>
        <source>No decoder for %1 responses</source>
        <translation>%1 の応答用のデコーダーがありません</translation>
    </message>
    <message>
        <source>HTTP %1</source>
        <translation>HTTP %1</translation>
    </message>
    <message>
        <source>%1 from %2</source>
        <translation>%2 から %1</translation>
    </message>
    <message>
        <source>%1 from %2: %3</source>
        <translation>%2 から %1: %3</translation>
    </message>
    <message numerus="yes">
        <source>the provider reported an error after %n content event(s): %1</source>
        <translation>
            <numerusform>%n 件のコンテンツイベントの後にプロバイダーがエラーを報告しました: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>the provider reported an error: %1</source>
        <translation>プロバイダーがエラーを報告しました: %1</translation>
    </message>
    <message>
        <source>the provider stopped early (%1)</source>
        <translation>プロバイダーが途中で停止しました (%1)</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>理由なし</translation>
    </message>
    <message numerus="yes">
        <source>stream ended without its end marker after %n content event(s)</source>
        <translation>
            <numerusform>%n 件のコンテンツイベントの後、終了マーカーなしでストリームが終了しました</numerusform>
        </translation>
    </message>
    <message>
        <source>stream ended without any content or end marker</source>
        <translation>コンテンツも終了マーカーもないままストリームが終了しました</translation>
    </message>
    <message>
        <source>%1 sent a response that could not be read: %2</source>
        <translation>%1 が読み取れない応答を送信しました: %2</translation>
    </message>
</context>
<context>
    <name>Slopscope::StreamPane</name>
    <message>
        <source>idle</source>
        <translation>アイドル</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>キュー待ち</translation>
    </message>
    <message>
        <source>waiting for first token</source>
        <translation>最初のトークン待ち</translation>
    </message>
    <message>
        <source>streaming</source>
        <translation>ストリーミング中</translation>
    </message>
    <message>
        <source>retrying</source>
        <translation>再試行中</translation>
    </message>
    <message>
        <source>done</source>
        <translation>完了</translation>
    </message>
    <message>
        <source>truncated</source>
        <translation>打ち切り</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>不合格</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>キャンセルされました</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>不明</translation>
    </message>
    <message>
        <source>TTFT %1 ms · %2 tok/s · %3 tokens · cost %4</source>
        <translation>TTFT %1 ms · %2 tok/s · %3 トークン · コスト %4</translation>
    </message>
    <message>
        <source>Tokens per second estimated from characters: the provider reported no usage.</source>
        <translation>毎秒トークン数は文字数から推定しています: プロバイダーが使用量を報告しませんでした。</translation>
    </message>
    <message numerus="yes">
        <source>Reasoning (%n character(s))</source>
        <translation>
            <numerusform>推論 (%n 文字)</numerusform>
        </translation>
    </message>
    <message>
        <source>Chain so far</source>
        <translation>ここまでのチェーン</translation>
    </message>
    <message>
        <source>%1 · answering…</source>
        <translation>%1 · 回答中…</translation>
    </message>
</context>
<context>
    <name>Slopscope::StreamPaneGrid</name>
    <message>
        <source>No case running.</source>
        <translation>実行中のケースはありません。</translation>
    </message>
</context>
<context>
    <name>Slopscope::SuiteCaseModel</name>
    <message>
        <source>(no id)</source>
        <translation>(ID なし)</translation>
    </message>
    <message>
        <source>The suite has no cases.</source>
        <translation>スイートにケースがありません。</translation>
    </message>
    <message>
        <source>The suite has no name.</source>
        <translation>スイートに名前がありません。</translation>
    </message>
    <message>
        <source>Case %1 (%2): %3</source>
        <translation>ケース %1 (%2): %3</translation>
    </message>
    <message>
        <source>the id is empty</source>
        <translation>ID が空です</translation>
    </message>
    <message>
        <source>duplicate case id &quot;%1&quot;</source>
        <translation>ケース ID「%1」が重複しています</translation>
    </message>
</context>
<context>
    <name>Slopscope::SuiteDefaultsForm</name>
    <message>
        <source>Every case of the suite starts from these.</source>
        <translation>スイートのすべてのケースはこれらを初期値とします。</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>システムプロンプト</translation>
    </message>
    <message>
        <source>Sent first with every case; {{name}} is filled from the case&apos;s variables.</source>
        <translation>すべてのケースで最初に送信されます。{{name}} はケースの変数から埋められます。</translation>
    </message>
    <message>
        <source>&amp;System prompt</source>
        <translation>システムプロンプト(&amp;S)</translation>
    </message>
    <message>
        <source>Params</source>
        <translation>パラメーター</translation>
    </message>
    <message>
        <source>Request parameters for every case, e.g. {&quot;temperature&quot;: 0}</source>
        <translation>すべてのケースのリクエストパラメーター（例: {&quot;temperature&quot;: 0}）</translation>
    </message>
    <message>
        <source>&amp;Params</source>
        <translation>パラメーター(&amp;P)</translation>
    </message>
    <message>
        <source>default params</source>
        <translation>既定のパラメーター</translation>
    </message>
    <message>
        <source>Default assertions</source>
        <translation>既定のアサーション</translation>
    </message>
    <message>
        <source>Default asse&amp;rtions</source>
        <translation>既定のアサーション(&amp;R)</translation>
    </message>
    <message>
        <source>default assertions</source>
        <translation>既定のアサーション</translation>
    </message>
    <message>
        <source>Default time budget</source>
        <translation>既定の制限時間</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>none</source>
        <translation>なし</translation>
    </message>
    <message>
        <source>The time budget of every case without its own; 0 for none</source>
        <translation>独自の制限時間を持たないすべてのケースの制限時間。0 はなし</translation>
    </message>
    <message>
        <source>Default time &amp;budget</source>
        <translation>既定の制限時間(&amp;B)</translation>
    </message>
    <message>
        <source>default time budget</source>
        <translation>既定の制限時間</translation>
    </message>
    <message>
        <source>Default assertions: %1</source>
        <translation>既定のアサーション: %1</translation>
    </message>
    <message>
        <source>Change %1</source>
        <translation>%1を変更</translation>
    </message>
    <message>
        <source>default system prompt</source>
        <translation>既定のシステムプロンプト</translation>
    </message>
    <message>
        <source>Suite description</source>
        <translation>スイートの説明</translation>
    </message>
    <message>
        <source>What the suite measures, for whoever runs it next.</source>
        <translation>このスイートが何を測るか。次に実行する人のために。</translation>
    </message>
    <message>
        <source>&amp;Description</source>
        <translation>説明(&amp;D)</translation>
    </message>
    <message>
        <source>suite description</source>
        <translation>スイートの説明</translation>
    </message>
</context>
<context>
    <name>Slopscope::SuiteEditor</name>
    <message>
        <source>Suite name</source>
        <translation>スイート名</translation>
    </message>
    <message>
        <source>Rename suite</source>
        <translation>スイート名を変更</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>ケース</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>追加(&amp;A)</translation>
    </message>
    <message>
        <source>Add a case after the selected one</source>
        <translation>選択したケースの後にケースを追加</translation>
    </message>
    <message>
        <source>D&amp;uplicate</source>
        <translation>複製(&amp;U)</translation>
    </message>
    <message>
        <source>Duplicate the selected case</source>
        <translation>選択したケースを複製</translation>
    </message>
    <message>
        <source>Remo&amp;ve</source>
        <translation>削除(&amp;V)</translation>
    </message>
    <message>
        <source>Remove the selected case</source>
        <translation>選択したケースを削除</translation>
    </message>
    <message>
        <source>▲</source>
        <translation>▲</translation>
    </message>
    <message>
        <source>Move the case up</source>
        <translation>ケースを上へ移動</translation>
    </message>
    <message>
        <source>▼</source>
        <translation>▼</translation>
    </message>
    <message>
        <source>Move the case down</source>
        <translation>ケースを下へ移動</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>問題</translation>
    </message>
    <message>
        <source>Add case %1</source>
        <translation>ケース %1 を追加</translation>
    </message>
    <message>
        <source>Duplicate case %1</source>
        <translation>ケース %1 を複製</translation>
    </message>
    <message>
        <source>Remove case %1</source>
        <translation>ケース %1 を削除</translation>
    </message>
    <message>
        <source>Move case %1</source>
        <translation>ケース %1 を移動</translation>
    </message>
    <message>
        <source>Change case %1</source>
        <translation>ケース %1 を変更</translation>
    </message>
    <message>
        <source>&amp;Case</source>
        <translation>ケース(&amp;C)</translation>
    </message>
    <message>
        <source>Varia&amp;nts</source>
        <translation>バリアント(&amp;N)</translation>
    </message>
    <message>
        <source>Suite de&amp;faults</source>
        <translation>スイートの既定値(&amp;F)</translation>
    </message>
    <message>
        <source>Varia&amp;nts (%1)</source>
        <translation>バリアント (%1)(&amp;N)</translation>
    </message>
    <message>
        <source>Suite defaults: %1</source>
        <translation>スイートの既定値: %1</translation>
    </message>
    <message>
        <source>Change the suite defaults</source>
        <translation>スイートの既定値を変更</translation>
    </message>
</context>
<context>
    <name>Slopscope::TargetListWidget</name>
    <message>
        <source>price unknown</source>
        <translation>価格不明</translation>
    </message>
    <message>
        <source>$%1 / $%2 per Mtok</source>
        <translation>$%1 / $%2 (Mtok あたり)</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>ターゲット</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>プロバイダー</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>モデル</translation>
    </message>
    <message>
        <source>Price (in / out)</source>
        <translation>価格 (入力 / 出力)</translation>
    </message>
</context>
<context>
    <name>Slopscope::TargetSettingsForm</name>
    <message>
        <source>Price (US$ per million tokens)</source>
        <translation>価格（100 万トークンあたり US$）</translation>
    </message>
    <message>
        <source>&amp;Input:</source>
        <translation>入力(&amp;I):</translation>
    </message>
    <message>
        <source>&amp;Output:</source>
        <translation>出力(&amp;O):</translation>
    </message>
    <message>
        <source>&amp;Cached input:</source>
        <translation>キャッシュ入力(&amp;C):</translation>
    </message>
    <message>
        <source>Cache &amp;write:</source>
        <translation>キャッシュ書き込み(&amp;W):</translation>
    </message>
    <message>
        <source>Reaso&amp;ning:</source>
        <translation>推論(&amp;N):</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>パラメーター</translation>
    </message>
    <message>
        <source>provider default</source>
        <translation>プロバイダーの既定値</translation>
    </message>
    <message>
        <source>&amp;Temperature:</source>
        <translation>温度(&amp;T):</translation>
    </message>
    <message>
        <source>&amp;Max tokens:</source>
        <translation>最大トークン数(&amp;M):</translation>
    </message>
    <message>
        <source>&amp;Reasoning effort:</source>
        <translation>推論の労力(&amp;R):</translation>
    </message>
    <message>
        <source>Target %1 (%2 on %3)</source>
        <translation>ターゲット %1（%3 上の %2）</translation>
    </message>
    <message>
        <source>No price catalogue: an empty price is unknown.</source>
        <translation>価格カタログがありません: 空欄の価格は不明として扱われます。</translation>
    </message>
    <message>
        <source>“%1” is not in the price catalogue of %2: an empty price is unknown.</source>
        <translation>「%1」は %2 の価格カタログにありません: 空欄の価格は不明として扱われます。</translation>
    </message>
    <message>
        <source>Empty fields take the price catalogue of %1 (%2), for short prompts; a value you enter overrides it.</source>
        <translation>空欄には %1（%2）の価格カタログの値が使われます（短いプロンプト用）。入力した値はそれを上書きします。</translation>
    </message>
    <message>
        <source>Empty fields take the price catalogue of %1 (%2); a value you enter overrides it.</source>
        <translation>空欄には %1（%2）の価格カタログの値が使われます。入力した値はそれを上書きします。</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>不明</translation>
    </message>
    <message>
        <source>%1.price: “%2” is not a number</source>
        <translation>%1.price: 「%2」は数値ではありません</translation>
    </message>
    <message>
        <source>%1.params.temperature: “%2” is not a number</source>
        <translation>%1.params.temperature: 「%2」は数値ではありません</translation>
    </message>
    <message>
        <source>overrides the catalogue (%1)</source>
        <translation>カタログを上書き（%1）</translation>
    </message>
    <message>
        <source>set here</source>
        <translation>ここで設定</translation>
    </message>
    <message>
        <source>from the catalogue</source>
        <translation>カタログから</translation>
    </message>
</context>
<context>
    <name>Slopscope::VariantsEditor</name>
    <message>
        <source>Variant &amp;list</source>
        <translation>バリアント一覧(&amp;L)</translation>
    </message>
    <message>
        <source>Variants</source>
        <translation>バリアント</translation>
    </message>
    <message>
        <source>A&amp;dd variant</source>
        <translation>バリアントを追加(&amp;D)</translation>
    </message>
    <message>
        <source>Add a variant of the case, starting from its prompt</source>
        <translation>ケースのプロンプトを元にバリアントを追加します</translation>
    </message>
    <message>
        <source>Duplicate as &amp;paraphrase</source>
        <translation>言い換えとして複製(&amp;P)</translation>
    </message>
    <message>
        <source>Copy the selected variant (or the case) as a paraphrase to reword</source>
        <translation>選択したバリアント（またはケース）を、書き換え用の言い換えとしてコピーします</translation>
    </message>
    <message>
        <source>Remove varian&amp;t</source>
        <translation>バリアントを削除(&amp;T)</translation>
    </message>
    <message>
        <source>Variant id</source>
        <translation>バリアント ID</translation>
    </message>
    <message>
        <source>&amp;Id</source>
        <translation>ID(&amp;I)</translation>
    </message>
    <message>
        <source>id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Variant kind</source>
        <translation>バリアントの種類</translation>
    </message>
    <message>
        <source>How the variant differs from the case; any word, or empty</source>
        <translation>バリアントがケースとどう異なるか。任意の語、または空欄</translation>
    </message>
    <message>
        <source>&amp;Kind</source>
        <translation>種類(&amp;K)</translation>
    </message>
    <message>
        <source>kind</source>
        <translation>種類</translation>
    </message>
    <message>
        <source>Variant prompt</source>
        <translation>バリアントのプロンプト</translation>
    </message>
    <message>
        <source>The same question, asked differently; {{name}} is filled from the variables.</source>
        <translation>同じ質問を別の言い方で。{{name}} は変数から埋められます。</translation>
    </message>
    <message>
        <source>Variant messages</source>
        <translation>バリアントのメッセージ</translation>
    </message>
    <message>
        <source>messages</source>
        <translation>メッセージ</translation>
    </message>
    <message>
        <source>Pro&amp;mpt</source>
        <translation>プロンプト(&amp;M)</translation>
    </message>
    <message>
        <source>Variable overrides</source>
        <translation>変数の上書き</translation>
    </message>
    <message>
        <source>Replace the case&apos;s variables of the same name for this variant</source>
        <translation>このバリアントでは、ケースの同名の変数を置き換えます</translation>
    </message>
    <message>
        <source>Variable &amp;overrides</source>
        <translation>変数の上書き(&amp;O)</translation>
    </message>
    <message>
        <source>variable overrides</source>
        <translation>変数の上書き</translation>
    </message>
    <message>
        <source>Variant reference answer</source>
        <translation>バリアントの参照回答</translation>
    </message>
    <message>
        <source>Empty: the case&apos;s reference</source>
        <translation>空欄: ケースの参照回答</translation>
    </message>
    <message>
        <source>&amp;Reference</source>
        <translation>参照(&amp;R)</translation>
    </message>
    <message>
        <source>Variant %1: %2</source>
        <translation>バリアント %1: %2</translation>
    </message>
    <message>
        <source>Change %1 of variant %2 of case %3</source>
        <translation>ケース %3 のバリアント %2 の%1を変更</translation>
    </message>
    <message>
        <source>Add variant %1 to case %2</source>
        <translation>ケース %2 にバリアント %1 を追加</translation>
    </message>
    <message>
        <source>Duplicate %1 as paraphrase %2 in case %3</source>
        <translation>ケース %3 で %1 を言い換え %2 として複製</translation>
    </message>
    <message>
        <source>Remove variant %1 from case %2</source>
        <translation>ケース %2 からバリアント %1 を削除</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>&amp;Messages</source>
        <translation>メッセージ(&amp;M)</translation>
    </message>
    <message>
        <source>prompt</source>
        <translation>プロンプト</translation>
    </message>
    <message>
        <source>reference</source>
        <translation>参照回答</translation>
    </message>
    <message>
        <source>O&amp;wn assertions instead of the case&apos;s</source>
        <translation>ケースの代わりに独自のアサーション(&amp;W)</translation>
    </message>
    <message>
        <source>Variant assertions</source>
        <translation>バリアントのアサーション</translation>
    </message>
    <message>
        <source>assertions</source>
        <translation>アサーション</translation>
    </message>
</context>
<context>
    <name>Slopscope::VarsEditor</name>
    <message>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>値</translation>
    </message>
    <message>
        <source>Add variable</source>
        <translation>変数を追加</translation>
    </message>
    <message>
        <source>Remove variable</source>
        <translation>変数を削除</translation>
    </message>
    <message>
        <source>Variable %1 has a value but no name</source>
        <translation>変数 %1 に値がありますが名前がありません</translation>
    </message>
    <message>
        <source>The variable &quot;%1&quot; is named twice</source>
        <translation>変数 &quot;%1&quot; の名前が重複しています</translation>
    </message>
</context>
<context>
    <name>StoreBackups</name>
    <message>
        <source>Cannot copy %1 to %2: %3</source>
        <translation>%1 を %2 にコピーできません: %3</translation>
    </message>
    <message>
        <source>Cannot create the backup folder %1.</source>
        <translation>バックアップフォルダー %1 を作成できません。</translation>
    </message>
    <message>
        <source>Cannot finish the backup %1.</source>
        <translation>バックアップ %1 を完了できません。</translation>
    </message>
</context>
<context>
    <name>StoreSchema</name>
    <message>
        <source>Cannot read the schema version of %1: %2</source>
        <translation>%1 のスキーマバージョンを読み込めません: %2</translation>
    </message>
    <message>
        <source>%1 was written by a newer version of Slopscope (history schema %2; this version knows up to %3). It can be opened read-only; to change it, update Slopscope.</source>
        <translation>%1 は新しいバージョンの Slopscope で書き込まれています (履歴スキーマ %2。このバージョンが対応しているのは %3 までです)。読み取り専用で開くことはできます。変更するには Slopscope を更新してください。</translation>
    </message>
    <message>
        <source>Cannot back up %1 to %2 before upgrading it: %3</source>
        <translation>アップグレード前に %1 を %2 にバックアップできません: %3</translation>
    </message>
    <message>
        <source>No migration to history schema %1.</source>
        <translation>履歴スキーマ %1 への移行処理がありません。</translation>
    </message>
    <message>
        <source>Cannot upgrade %1 to history schema %2: %3</source>
        <translation>%1 を履歴スキーマ %2 にアップグレードできません: %3</translation>
    </message>
    <message>
        <source>the history has no identity row</source>
        <translation>履歴に識別情報の行がありません</translation>
    </message>
</context>
<context>
    <name>StreamDecoder</name>
    <message>
        <source>A single event of the response exceeded %1 MiB; the stream was abandoned.</source>
        <translation>応答の 1 つのイベントが %1 MiB を超えたため、ストリームを中止しました。</translation>
    </message>
    <message>
        <source>The response exceeded %1 MiB; the stream was abandoned.</source>
        <translation>応答が %1 MiB を超えたため、ストリームを中止しました。</translation>
    </message>
    <message>
        <source>The response was not valid JSON: %1</source>
        <translation>応答が有効な JSON ではありませんでした: %1</translation>
    </message>
    <message>
        <source>The response was not valid JSON: an event could not be parsed.</source>
        <translation>応答が有効な JSON ではありません: イベントを解析できませんでした。</translation>
    </message>
</context>
<context>
    <name>Suite</name>
    <message>
        <source>a suite must be a JSON object</source>
        <translation>スイートは JSON オブジェクトである必要があります</translation>
    </message>
    <message>
        <source>a list of cases is required</source>
        <translation>ケースのリストが必要です</translation>
    </message>
    <message>
        <source>the suite has no cases</source>
        <translation>スイートにケースがありません</translation>
    </message>
    <message>
        <source>duplicate case id &quot;%1&quot;</source>
        <translation>ケース ID「%1」が重複しています</translation>
    </message>
    <message>
        <source>unknown key (expected one of: %1)</source>
        <translation>不明なキーです (次のいずれかが必要です: %1)</translation>
    </message>
    <message>
        <source>missing (a string is required)</source>
        <translation>ありません (文字列が必要です)</translation>
    </message>
    <message>
        <source>expected a string</source>
        <translation>文字列が必要です</translation>
    </message>
    <message>
        <source>expected a non-empty list of messages</source>
        <translation>空でないメッセージのリストが必要です</translation>
    </message>
    <message>
        <source>expected an object with &quot;role&quot; and &quot;content&quot;</source>
        <translation>&quot;role&quot; と &quot;content&quot; を持つオブジェクトが必要です</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a role (system, user or assistant)</source>
        <translation>&quot;%1&quot; はロールではありません (system、user、assistant)</translation>
    </message>
    <message>
        <source>expected a list of assertions</source>
        <translation>アサーションのリストが必要です</translation>
    </message>
    <message>
        <source>expected an object with a &quot;type&quot;</source>
        <translation>&quot;type&quot; を持つオブジェクトが必要です</translation>
    </message>
    <message>
        <source>unknown assertion type &quot;%1&quot;</source>
        <translation>不明なアサーションの種類 &quot;%1&quot;</translation>
    </message>
    <message>
        <source>expected a number</source>
        <translation>数値が必要です</translation>
    </message>
    <message>
        <source>expected a number of at least 0</source>
        <translation>0 以上の数値が必要です</translation>
    </message>
    <message>
        <source>expected an object of names and values</source>
        <translation>名前と値のオブジェクトが必要です</translation>
    </message>
    <message>
        <source>expected a string or a number</source>
        <translation>文字列または数値が必要です</translation>
    </message>
    <message>
        <source>expected an object</source>
        <translation>オブジェクトが必要です</translation>
    </message>
    <message>
        <source>unknown variable {{%1}}</source>
        <translation>不明な変数 {{%1}}</translation>
    </message>
    <message>
        <source>give either &quot;prompt&quot; or &quot;messages&quot;, not both</source>
        <translation>&quot;prompt&quot; と &quot;messages&quot; のどちらか一方だけを指定してください</translation>
    </message>
    <message>
        <source>a &quot;prompt&quot; or a list of &quot;messages&quot; is required</source>
        <translation>&quot;prompt&quot; または &quot;messages&quot; のリストが必要です</translation>
    </message>
    <message>
        <source>the prompt is empty</source>
        <translation>プロンプトが空です</translation>
    </message>
    <message>
        <source>the id is empty</source>
        <translation>ID が空です</translation>
    </message>
    <message>
        <source>expected a list of strings</source>
        <translation>文字列のリストが必要です</translation>
    </message>
    <message>
        <source>expected a list of variants</source>
        <translation>言い換えのリストが必要です</translation>
    </message>
    <message>
        <source>duplicate variant id &quot;%1&quot;</source>
        <translation>言い換え ID &quot;%1&quot; が重複しています</translation>
    </message>
    <message>
        <source>%1: the file is UTF-16; save it as UTF-8</source>
        <translation>%1: ファイルが UTF-16 です。UTF-8 で保存してください</translation>
    </message>
    <message>
        <source>Cannot open suite %1: %2</source>
        <translation>スイート %1 を開けません: %2</translation>
    </message>
    <message>
        <source>expected a whole number of milliseconds above 0</source>
        <translation>0 より大きい整数のミリ秒数が必要です</translation>
    </message>
    <message>
        <source>%1:%2:%3: invalid UTF-8 at byte offset %4 (byte 0x%5); save the file as UTF-8</source>
        <translation>%1:%2:%3: バイトオフセット %4 に無効な UTF-8 があります (バイト 0x%5)。ファイルを UTF-8 で保存してください</translation>
    </message>
    <message>
        <source>%1: the suite is too large (%2 MiB; limit %3 MiB)</source>
        <translation>%1: スイートが大きすぎます (%2 MiB、上限 %3 MiB)</translation>
    </message>
    <message>
        <source>expected a non-empty list of tool results</source>
        <translation>ツール結果の空でないリストが必要です</translation>
    </message>
    <message>
        <source>expected an object with a &quot;tool&quot;, a &quot;kind&quot; and a &quot;content&quot;</source>
        <translation>&quot;tool&quot;、&quot;kind&quot;、&quot;content&quot; を持つオブジェクトが必要です</translation>
    </message>
    <message>
        <source>the tool name is empty (use &quot;*&quot; for any tool)</source>
        <translation>ツール名が空です（任意のツールには &quot;*&quot; を使用）</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a kind of tool result (result, error, missing or interrupt)</source>
        <translation>&quot;%1&quot; はツール結果の種類ではありません（result、error、missing、interrupt のいずれか）</translation>
    </message>
    <message>
        <source>missing (a string, or the JSON the tool returns)</source>
        <translation>ありません（文字列、またはツールが返す JSON）</translation>
    </message>
    <message>
        <source>expected a string (what the user says)</source>
        <translation>文字列が必要です（ユーザーの発言）</translation>
    </message>
    <message>
        <source>expected a string, an object or a list</source>
        <translation>文字列、オブジェクト、またはリストが必要です</translation>
    </message>
    <message>
        <source>an interrupt needs what the user says as its content</source>
        <translation>interrupt には content としてユーザーの発言が必要です</translation>
    </message>
    <message>
        <source>expected a non-empty list of turns</source>
        <translation>ターンの空でないリストが必要です</translation>
    </message>
    <message>
        <source>expected an object with a &quot;user&quot; message</source>
        <translation>&quot;user&quot; メッセージを持つオブジェクトが必要です</translation>
    </message>
    <message>
        <source>the user message is empty</source>
        <translation>ユーザーメッセージが空です</translation>
    </message>
    <message>
        <source>expected a whole number from 1 to 100</source>
        <translation>1 から 100 までの整数が必要です</translation>
    </message>
    <message>
        <source>expected a list of tools</source>
        <translation>ツールのリストが必要です</translation>
    </message>
    <message>
        <source>expected an object with a &quot;name&quot;</source>
        <translation>&quot;name&quot; を持つオブジェクトが必要です</translation>
    </message>
    <message>
        <source>the name is empty</source>
        <translation>名前が空です</translation>
    </message>
    <message>
        <source>duplicate tool name &quot;%1&quot;</source>
        <translation>ツール名 &quot;%1&quot; が重複しています</translation>
    </message>
    <message>
        <source>expected a JSON Schema object</source>
        <translation>JSON Schema オブジェクトが必要です</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not one of the tools offered</source>
        <translation>&quot;%1&quot; は提供されているツールではありません</translation>
    </message>
    <message>
        <source>expected true or false</source>
        <translation>true または false を指定してください</translation>
    </message>
    <message>
        <source>the case offers no tools (add &quot;tools&quot; to it or to the defaults)</source>
        <translation>このケースにはツールがありません（ケースまたはデフォルトに &quot;tools&quot; を追加してください）</translation>
    </message>
</context>
<context>
    <name>SuiteWriter</name>
    <message>
        <source>Cannot save the suite to %1: %2</source>
        <translation>スイートを %1 に保存できません: %2</translation>
    </message>
</context>
<context>
    <name>TextAttachment</name>
    <message>
        <source>&quot;%1&quot; is not a file that can be read.</source>
        <translation>「%1」は読み取り可能なファイルではありません。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is %2; attachments are limited to %3 of text.</source>
        <translation>「%1」のサイズは %2 です。添付できるテキストは %3 までです。</translation>
    </message>
    <message>
        <source>Cannot read &quot;%1&quot;: %2</source>
        <translation>「%1」を読み取れません: %2</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not plain text (it holds binary data); only text files can be attached.</source>
        <translation>「%1」はプレーンテキストではありません (バイナリデータを含みます)。添付できるのはテキストファイルのみです。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not UTF-8 text; only plain-text files in UTF-8 can be attached.</source>
        <translation>「%1」は UTF-8 テキストではありません。添付できるのは UTF-8 のプレーンテキストファイルのみです。</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <source>corrupt timeline blob at byte %1: %2</source>
        <translation>タイムラインのデータがバイト %1 で破損しています: %2</translation>
    </message>
    <message>
        <source>truncated</source>
        <translation>途中で切れています</translation>
    </message>
    <message>
        <source>integer out of range</source>
        <translation>整数が範囲外です</translation>
    </message>
    <message>
        <source>not a timeline (bad magic)</source>
        <translation>タイムラインではありません (マジックナンバーが不正)</translation>
    </message>
    <message>
        <source>unsupported version %1</source>
        <translation>未対応のバージョン %1</translation>
    </message>
    <message>
        <source>unknown flags 0x%1</source>
        <translation>不明なフラグ 0x%1</translation>
    </message>
    <message>
        <source>chunk count %1 exceeds the data</source>
        <translation>チャンク数 %1 がデータ量を超えています</translation>
    </message>
    <message>
        <source>unknown content kind %1</source>
        <translation>不明なコンテンツの種類 %1</translation>
    </message>
</context>
<context>
    <name>ToolChoice</name>
    <message>
        <source>expected &quot;auto&quot;, &quot;none&quot;, &quot;required&quot; or {&quot;name&quot;: &quot;&lt;tool&gt;&quot;}, not &quot;%1&quot;</source>
        <translation>&quot;auto&quot;、&quot;none&quot;、&quot;required&quot; または {&quot;name&quot;: &quot;&lt;tool&gt;&quot;} を指定してください（&quot;%1&quot; は無効です）</translation>
    </message>
    <message>
        <source>expected &quot;auto&quot;, &quot;none&quot;, &quot;required&quot; or {&quot;name&quot;: &quot;&lt;tool&gt;&quot;}</source>
        <translation>&quot;auto&quot;、&quot;none&quot;、&quot;required&quot; または {&quot;name&quot;: &quot;&lt;tool&gt;&quot;} を指定してください</translation>
    </message>
    <message>
        <source>unknown field; a forced tool takes only &quot;name&quot;</source>
        <translation>不明なフィールドです。強制ツールには &quot;name&quot; しか指定できません</translation>
    </message>
    <message>
        <source>expected the name of an offered tool as a string</source>
        <translation>提供されているツールの名前を文字列で指定してください</translation>
    </message>
    <message>
        <source>the name is empty</source>
        <translation>名前が空です</translation>
    </message>
</context>
<context>
    <name>Workspace</name>
    <message>
        <source>%1: a price cannot be negative</source>
        <translation>%1: 価格を負の値にすることはできません</translation>
    </message>
    <message>
        <source>%1: expected an object</source>
        <translation>%1: オブジェクトが必要です</translation>
    </message>
    <message>
        <source>%1: API keys are never read from workspace files; name an environment variable with &quot;api_key_env&quot; or store the key in the keychain</source>
        <translation>%1: API キーはワークスペースファイルからは決して読み込みません。&quot;api_key_env&quot; で環境変数を指定するか、キーをキーチェーンに保存してください</translation>
    </message>
    <message>
        <source>%1: unknown dialect &quot;%2&quot; (expected openai-chat, openai-responses, anthropic, gemini or ollama)</source>
        <translation>%1: 不明な方言 &quot;%2&quot; です (openai-chat、openai-responses、anthropic、gemini、ollama のいずれかが必要です)</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is not an http(s) URL</source>
        <translation>%1: &quot;%2&quot; は http(s) URL ではありません</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is not a colour of the form #rrggbb</source>
        <translation>%1: &quot;%2&quot; は #rrggbb 形式の色ではありません</translation>
    </message>
    <message>
        <source>%1: temperature must be between 0 and 2</source>
        <translation>%1: temperature は 0 から 2 の間である必要があります</translation>
    </message>
    <message>
        <source>%1: a workspace must be a JSON object</source>
        <translation>%1: ワークスペースは JSON オブジェクトである必要があります</translation>
    </message>
    <message>
        <source>%1.id: duplicate provider id &quot;%2&quot;</source>
        <translation>%1.id: プロバイダー ID &quot;%2&quot; が重複しています</translation>
    </message>
    <message>
        <source>%1.id: duplicate target id &quot;%2&quot;</source>
        <translation>%1.id: ターゲット ID &quot;%2&quot; が重複しています</translation>
    </message>
    <message>
        <source>%1.provider: no provider with id &quot;%2&quot;</source>
        <translation>%1.provider: ID が &quot;%2&quot; のプロバイダーはありません</translation>
    </message>
    <message>
        <source>Cannot open workspace %1: %2</source>
        <translation>ワークスペース %1 を開けません: %2</translation>
    </message>
    <message>
        <source>%1.id: a provider needs an id</source>
        <translation>%1.id: プロバイダーには ID が必要です</translation>
    </message>
    <message>
        <source>%1.id: a target needs an id</source>
        <translation>%1.id: ターゲットには ID が必要です</translation>
    </message>
    <message>
        <source>%1.model: a target needs a model</source>
        <translation>%1.model: ターゲットにはモデルが必要です</translation>
    </message>
    <message>
        <source>%1.params.max_tokens: must be between 1 and %2</source>
        <translation>%1.params.max_tokens: 1 から %2 の間である必要があります</translation>
    </message>
    <message>
        <source>No target with id &quot;%1&quot;</source>
        <translation>ID &quot;%1&quot; のターゲットはありません</translation>
    </message>
    <message>
        <source>%1: not a proxy URL (expected &quot;none&quot; or http://host:port)</source>
        <translation>%1: プロキシ URL ではありません (&quot;none&quot; または http://host:port の形式が必要です)</translation>
    </message>
    <message>
        <source>%1: proxy credentials are secrets and are not read from workspace files; set them in https_proxy (http://user:password@host:port)</source>
        <translation>%1: プロキシの認証情報は秘密情報のため、ワークスペースファイルからは読み込まれません。https_proxy で設定してください (http://user:password@host:port)</translation>
    </message>
    <message>
        <source>%1.%2: expected a string, or {&quot;secret&quot;: &quot;NAME&quot;} naming an environment variable or keychain entry that holds the value</source>
        <translation>%1.%2: 文字列、または値を保持する環境変数かキーチェーン項目を指定する {&quot;secret&quot;: &quot;NAME&quot;} が必要です</translation>
    </message>
    <message>
        <source>Cannot save the workspace to %1: %2</source>
        <translation>ワークスペースを %1 に保存できません: %2</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is not a header name (letters, digits and !#$%&amp;&apos;*+-.^_`|~ only)</source>
        <translation>%1: &quot;%2&quot; はヘッダー名ではありません（英字、数字、!#$%&amp;&apos;*+-.^_`|~ のみ）</translation>
    </message>
    <message>
        <source>%1.%2: a header value cannot contain a line break</source>
        <translation>%1.%2: ヘッダー値に改行を含めることはできません</translation>
    </message>
    <message>
        <source>%1.%2: name the keychain entry or environment variable that holds the value</source>
        <translation>%1.%2: 値を保持するキーチェーンのエントリまたは環境変数の名前を指定してください</translation>
    </message>
    <message>
        <source>%1.%2: is both a plain and a secret header; keep one</source>
        <translation>%1.%2: 通常のヘッダーとシークレットヘッダーの両方になっています。どちらか一方にしてください</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>%1 を読み込めません: %2</translation>
    </message>
    <message>
        <source>%1 is larger than 1 MB; expected PEM certificates</source>
        <translation>%1 は 1 MB を超えています。PEM 証明書が必要です</translation>
    </message>
    <message>
        <source>%1 holds no PEM certificate</source>
        <translation>%1 に PEM 証明書が含まれていません</translation>
    </message>
    <message>
        <source>%1: an empty entry</source>
        <translation>%1: 空のエントリ</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is one host, suffix, address or block (no spaces or commas)</source>
        <translation>%1: &quot;%2&quot; は 1 つのホスト、サフィックス、アドレス、またはブロックにしてください(スペースやカンマは不可)</translation>
    </message>
    <message>
        <source>%1: expected a string</source>
        <translation>%1: 文字列が必要です</translation>
    </message>
</context>
<context>
    <name>cli</name>
    <message>
        <source>%1: %2 provider(s), %3 target(s)</source>
        <translation>%1: プロバイダー %2 個、ターゲット %3 個</translation>
    </message>
    <message>
        <source>Unknown command &quot;%1&quot;.</source>
        <translation>不明なコマンド &quot;%1&quot; です。</translation>
    </message>
    <message>
        <source>Runs the Slopscope provider simulator: simulated OpenAI, Anthropic, Gemini and Ollama endpoints on one port. Every model it serves is simulated.</source>
        <translation>Slopscope のプロバイダーシミュレーターを実行します: OpenAI、Anthropic、Gemini、Ollama のエンドポイントを 1 つのポートでシミュレートします。提供するモデルはすべてシミュレーションです。</translation>
    </message>
    <message>
        <source>TCP port (0 picks a free one).</source>
        <translation>TCP ポート (0 で空きポートを選択)。</translation>
    </message>
    <message>
        <source>N</source>
        <translation>N</translation>
    </message>
    <message>
        <source>Personas file instead of the bundled lineup.</source>
        <translation>同梱のラインナップの代わりに使うペルソナファイル。</translation>
    </message>
    <message>
        <source>FILE</source>
        <translation>ファイル</translation>
    </message>
    <message>
        <source>Also recognise the cases of this suite file.</source>
        <translation>このスイートファイルのケースも認識します。</translation>
    </message>
    <message>
        <source>Append one JSON line of ground truth per request.</source>
        <translation>リクエストごとに正解データを 1 行の JSON として追記します。</translation>
    </message>
    <message>
        <source>Address to listen on (default 127.0.0.1; anything else is exposed).</source>
        <translation>待ち受けるアドレス (既定は 127.0.0.1。それ以外は外部に公開されます)。</translation>
    </message>
    <message>
        <source>ADDR</source>
        <translation>アドレス</translation>
    </message>
    <message>
        <source>Switch off the personas&apos; random faults (x-sim-fault still works).</source>
        <translation>ペルソナのランダムな障害を無効にします (x-sim-fault は引き続き機能します)。</translation>
    </message>
    <message>
        <source>--port: &quot;%1&quot; is not a port number.</source>
        <translation>--port: &quot;%1&quot; はポート番号ではありません。</translation>
    </message>
    <message>
        <source>--listen: &quot;%1&quot; is not an IP address.</source>
        <translation>--listen: &quot;%1&quot; は IP アドレスではありません。</translation>
    </message>
    <message>
        <source>Warning: listening on %1, not on loopback: anyone who can reach this address can use the simulator.</source>
        <translation>警告: ループバックではなく %1 で待ち受けています。このアドレスに到達できる人は誰でもシミュレーターを使用できます。</translation>
    </message>
    <message>
        <source>Cannot listen on %1:%2: %3</source>
        <translation>%1:%2 で待ち受けできません: %3</translation>
    </message>
    <message>
        <source>Slopscope simulator listening on http://%1:%2 (%3 simulated models)</source>
        <translation>Slopscope シミュレーターが http://%1:%2 で待ち受けています (シミュレートするモデル %3 個)</translation>
    </message>
    <message>
        <source>Simulator stopped.</source>
        <translation>シミュレーターを停止しました。</translation>
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
        <translation>使い方: slopscope-cli [--version] [--help] [--trace] &lt;command&gt; [options]
コマンド:
  check-workspace FILE   ワークスペースファイルを検証し、そのターゲットを一覧表示
  run --demo | --workspace FILE [--suite NAME|FILE] [--targets ID,ID] [--repeat K]
      [--concurrency N] [--variants] [--seed S] [--max-cost USD] [--retry-truncated] [--no-preconnect]
      [--fail-under quality=0.8] [--shard I/N] [--judge TARGET] [--db FILE | --no-db]
      [--jsonl FILE] [--summary FILE.json] [--report FILE.html|.pdf|.md]...
      [--chart FILE.png|.svg|.pdf]... [--csv FILE]
                         スイートを実行して記録し、ターゲットごとに 1 行を出力
  resume RUN_ID [--db FILE] [--workspace FILE] [outputs]
                         中断された実行に不足している分だけを送信
  report RUN_ID [--db FILE] [outputs]
                         記録済みの実行のレポートをデータベースから書き出す
  runs [--db FILE]        記録済みの実行を一覧表示: id、開始、状態、回答、コスト
  merge DB... --db FILE   複数のデータベース (CI マトリックスのシャード) を 1 つに結合
  import promptfoo|csv|jsonl FILE --out SUITE.json
                         promptfoo の設定、CSV、チャットログをスイートに変換
  keys set NAME | keys remove NAME | keys status [--workspace FILE | --demo] [NAME...]
                         システムのキーチェーン内の API キー (set は stdin からキーを読み取る)
  keys allow-host NAME HOST
                         保存済みのキーを別のホストへ送ることを許可 (アプリ内で確認される)
  sim [--port N] [--personas FILE] [--log FILE] [--listen ADDR]
                         プロバイダーシミュレーターを実行 (すべてのモデルをシミュレート)
--trace は各リクエスト (認証情報は *** と表示) とスケジューラーの判断を
stderr に記録します。QT_LOGGING_RULES=&quot;slopscope.net.debug=true&quot; は 1 つのカテゴリについて同じことを行います。
run の終了コード: 0 正常、1 --fail-under または --max-cost のゲートが不合格、2 使い方または
入力が不正、3 実行を完了できなかった。&apos;slopscope-cli run --help&apos; ですべてのオプションを一覧表示します。
</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Slopscope workbench</source>
        <translation>Slopscope ワークベンチ</translation>
    </message>
    <message>
        <source>Open this workspace file (&quot;demo&quot; for the bundled demo).</source>
        <translation>このワークスペースファイルを開きます (同梱のデモは &quot;demo&quot;)。</translation>
    </message>
    <message>
        <source>file</source>
        <translation>ファイル</translation>
    </message>
    <message>
        <source>Open the main window, check it, and quit.</source>
        <translation>メインウィンドウを開いて検査し、終了します。</translation>
    </message>
    <message>
        <source>Save a PNG of the main window after it settles, then quit.</source>
        <translation>メインウィンドウの表示が落ち着いたら PNG を保存し、終了します。</translation>
    </message>
    <message>
        <source>Start a run of the selected suite at once.</source>
        <translation>選択したスイートの実行をすぐに開始します。</translation>
    </message>
    <message>
        <source>Milliseconds to wait before the screenshot (default 1500).</source>
        <translation>スクリーンショットまでの待ち時間 (ミリ秒、既定 1500)。</translation>
    </message>
    <message>
        <source>ms</source>
        <translation>ms</translation>
    </message>
    <message>
        <source>page</source>
        <translation>ページ</translation>
    </message>
    <message>
        <source>Record runs in this history database (default: the user&apos;s).</source>
        <translation>実行をこの履歴データベースに記録します (既定: ユーザーのもの)。</translation>
    </message>
    <message>
        <source>Do not record runs.</source>
        <translation>実行を記録しません。</translation>
    </message>
    <message>
        <source>Cannot open workspace</source>
        <translation>ワークスペースを開けません</translation>
    </message>
    <message>
        <source>Show this run of the history (its id) instead of an empty window.</source>
        <translation>空のウィンドウの代わりに、履歴内のこの実行 (ID で指定) を表示します。</translation>
    </message>
    <message>
        <source>run-id</source>
        <translation>実行 ID</translation>
    </message>
    <message>
        <source>Load this routing policy file: its policies are replayed over each run and drawn on the quadrant.</source>
        <translation>このルーティング ポリシー ファイルを読み込みます: ポリシーは各実行で再生され、象限図に描かれます。</translation>
    </message>
    <message>
        <source>Use this theme for this start only: system, light or dark.</source>
        <translation>この起動に限りこのテーマを使います: system、light、dark のいずれか。</translation>
    </message>
    <message>
        <source>theme</source>
        <translation>テーマ</translation>
    </message>
    <message>
        <source>Slopscope is already running (pid %1); its window was brought to the front.</source>
        <translation>Slopscope はすでに実行中です (pid %1)。そのウィンドウを前面に表示しました。</translation>
    </message>
    <message>
        <source>Slopscope is already running (pid %1) with %2.</source>
        <translation>Slopscope はすでに %2 で実行中です (pid %1)。</translation>
    </message>
    <message>
        <source>Send this prompt in Quick Compare to the checked targets; repeat it for a chat, each sent once the previous one is answered.</source>
        <translation>このプロンプトをクイック比較でチェックしたターゲットに送信します。チャットにするには繰り返し指定します。各プロンプトは前のプロンプトへの回答が届いてから送信されます。</translation>
    </message>
    <message>
        <source>text</source>
        <translation>テキスト</translation>
    </message>
    <message>
        <source>The history holds fewer than two runs.</source>
        <translation>履歴にある実行が 2 件未満です。</translation>
    </message>
    <message>
        <source>Show a results page large: results (the matrix), leaderboard, diff or disagreements; routing opens Run ▸ Routing Policies; quadrant saves the screenshot as the chart export; settings, providers and appearance open Settings ▸ Preferences… on that page; suite brings the Suite panel to the front; quick opens View ▸ Quick Compare; drift opens File ▸ Drift…; compare compares the newest runs of the history (up to four); arena opens Run ▸ Blind Arena over the run on show (with --run, once it ends).</source>
        <translation>結果ページを大きく表示します: results（マトリクス）、leaderboard、diff、disagreements。routing は 実行 ▸ ルーティングポリシー を開きます。quadrant はスクリーンショットをチャートのエクスポートとして保存します。settings、providers、appearance は 設定 ▸ 環境設定… をそのページで開きます。suite はスイートパネルを前面に出します。quick は 表示 ▸ クイック比較 を開きます。drift は ファイル ▸ ドリフト… を開きます。compare は履歴の最新の実行（最大 4 件）を比較します。arena は表示中の実行に対して 実行 ▸ ブラインドアリーナ を開きます（--run 指定時は実行終了後）。</translation>
    </message>
    <message>
        <source>Unknown view %1: use results, leaderboard, diff, disagreements, routing, quadrant, suite, settings, providers, appearance, quick, drift, compare or arena.</source>
        <translation>不明なビュー %1: results、leaderboard、diff、disagreements、routing、quadrant、suite、settings、providers、appearance、quick、drift、compare、arena のいずれかを使用してください。</translation>
    </message>
    <message>
        <source>Log each request (credentials shown as ***) and the scheduler&apos;s decisions to stderr.</source>
        <translation>各リクエスト (認証情報は *** と表示) とスケジューラーの判断を stderr に記録します。</translation>
    </message>
</context>
</TS>
