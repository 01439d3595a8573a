<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>BestPick</name>
    <message>
        <source>no answers to pick from</source>
        <translation>没有可供挑选的回答</translation>
    </message>
    <message>
        <source>the judge&apos;s answer is empty</source>
        <translation>评审的回答为空</translation>
    </message>
    <message>
        <source>the judge&apos;s answer is too long (%1 characters)</source>
        <translation>评审的回答过长（%1 个字符）</translation>
    </message>
    <message>
        <source>no JSON verdict in the judge&apos;s answer (&quot;%1&quot;)</source>
        <translation>评审的回答中没有 JSON 裁决（&quot;%1&quot;）</translation>
    </message>
    <message>
        <source>the verdict names no best answer</source>
        <translation>裁决未指明最佳回答</translation>
    </message>
    <message>
        <source>the verdict&apos;s best is not a label (%1)</source>
        <translation>裁决中的 best 不是标签（%1）</translation>
    </message>
    <message>
        <source>the verdict&apos;s best &quot;%1&quot; is not one of the labels shown (A to %2)</source>
        <translation>裁决中的 best &quot;%1&quot; 不在显示的标签中（A 到 %2）</translation>
    </message>
    <message>
        <source>the verdict&apos;s reason is not a string</source>
        <translation>裁决中的 reason 不是字符串</translation>
    </message>
</context>
<context>
    <name>CellCodec</name>
    <message>
        <source>its chunk timeline: %1</source>
        <translation>其分块时间线：%1</translation>
    </message>
    <message>
        <source>its chain turns are not valid JSON</source>
        <translation>其链式轮次不是有效的 JSON</translation>
    </message>
    <message>
        <source>its thoughts are not valid JSON</source>
        <translation>其思考内容不是有效的 JSON</translation>
    </message>
</context>
<context>
    <name>ChainTranscript</name>
    <message>
        <source>Tool result (unknown tool)</source>
        <translation>工具结果（未知工具）</translation>
    </message>
    <message>
        <source>Tool result</source>
        <translation>工具结果</translation>
    </message>
    <message>
        <source>Tool result (failure)</source>
        <translation>工具结果（失败）</translation>
    </message>
    <message>
        <source>Tool result (missing information)</source>
        <translation>工具结果（缺少信息）</translation>
    </message>
    <message>
        <source>Tool result (interrupted)</source>
        <translation>工具结果（已中断）</translation>
    </message>
    <message>
        <source>passed</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Turn %1</source>
        <translation>第 %1 轮</translation>
    </message>
    <message>
        <source>%1 · score %2%</source>
        <translation>%1 · 得分 %2%</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Tool call</source>
        <translation>工具调用</translation>
    </message>
    <message>
        <source>(the call was cancelled)</source>
        <translation>（调用已取消）</translation>
    </message>
    <message>
        <source>User (interjects)</source>
        <translation>用户（插话）</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>the model kept calling tools past the round cap</source>
        <translation>模型在达到轮数上限后仍在调用工具</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
    <message>
        <source>Waiting for judge</source>
        <translation>等待评审</translation>
    </message>
    <message>
        <source>Failed check</source>
        <translation>检查未通过</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
</context>
<context>
    <name>CliProgress</name>
    <message>
        <source>%1/%2 done, %3 spent, %4 elapsed, ETA %5</source>
        <translation>已完成 %1/%2，已花费 %3，已用时 %4，预计剩余 %5</translation>
    </message>
</context>
<context>
    <name>CodeSandbox</name>
    <message>
        <source>the interpreter must be a name or an absolute path, not &quot;%1&quot;</source>
        <translation>解释器必须是名称或绝对路径，而不是 &quot;%1&quot;</translation>
    </message>
    <message>
        <source>the interpreter &quot;%1&quot; was not found</source>
        <translation>找不到解释器 &quot;%1&quot;</translation>
    </message>
    <message>
        <source>the interpreter %1 is outside /usr, where the sandbox cannot see it</source>
        <translation>解释器 %1 位于 /usr 之外，沙箱无法访问</translation>
    </message>
    <message>
        <source>a code-tests check needs tests (the assertion&apos;s value)</source>
        <translation>code-tests 检查需要测试（断言的值）</translation>
    </message>
    <message>
        <source>code-tests need bubblewrap (Debian: apt install bubblewrap) or an explicit opt-in to run generated code unsandboxed</source>
        <translation>code-tests 需要 bubblewrap（Debian：apt install bubblewrap），或明确允许在沙箱外运行生成的代码</translation>
    </message>
    <message>
        <source>could not write the code to a temporary directory</source>
        <translation>无法将代码写入临时目录</translation>
    </message>
    <message>
        <source>could not start %1: %2</source>
        <translation>无法启动 %1：%2</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source> (unsandboxed)</source>
        <translation> (无沙箱)</translation>
    </message>
    <message>
        <source>timed out after %1 s%2</source>
        <translation>%1 s 后超时%2</translation>
    </message>
    <message>
        <source>the sandbox did not start%1</source>
        <translation>沙箱未能启动%1</translation>
    </message>
    <message>
        <source>the tests passed and report a score of %1%2</source>
        <translation>测试通过，报告得分 %1%2</translation>
    </message>
    <message>
        <source>the tests passed%1</source>
        <translation>测试通过%1</translation>
    </message>
    <message>
        <source>the tests crashed</source>
        <translation>测试崩溃</translation>
    </message>
    <message>
        <source>the tests were killed by signal %1</source>
        <translation>测试被信号 %1 终止</translation>
    </message>
    <message>
        <source>the tests failed (exit code %1)</source>
        <translation>测试失败（退出码 %1）</translation>
    </message>
</context>
<context>
    <name>CoreDumps</name>
    <message>
        <source>Could not turn off core dumps: %1</source>
        <translation>无法关闭核心转储：%1</translation>
    </message>
    <message>
        <source>Could not make the process non-dumpable: %1</source>
        <translation>无法将进程设为不可转储：%1</translation>
    </message>
</context>
<context>
    <name>CostCalculator</name>
    <message>
        <source>usage not reported</source>
        <translation>未报告用量</translation>
    </message>
    <message>
        <source>output token count not reported</source>
        <translation>未报告输出 token 数</translation>
    </message>
    <message>
        <source>input token count not reported</source>
        <translation>未报告输入 token 数</translation>
    </message>
    <message>
        <source>inconsistent usage: negative token count</source>
        <translation>用量不一致：token 数为负</translation>
    </message>
    <message>
        <source>inconsistent usage: cached and cache-write tokens exceed input tokens</source>
        <translation>用量不一致：缓存 token 与缓存写入 token 之和超过输入 token</translation>
    </message>
    <message>
        <source>inconsistent usage: reasoning tokens exceed output tokens</source>
        <translation>用量不一致：推理 token 超过输出 token</translation>
    </message>
    <message>
        <source>input tokens</source>
        <translation>输入 token</translation>
    </message>
    <message>
        <source>cached input tokens</source>
        <translation>缓存输入 token</translation>
    </message>
    <message>
        <source>cache-write tokens</source>
        <translation>缓存写入 token</translation>
    </message>
    <message>
        <source>output tokens</source>
        <translation>输出 token</translation>
    </message>
    <message>
        <source>no price for %1</source>
        <translation>%1 没有价格</translation>
    </message>
</context>
<context>
    <name>CsvImporter</name>
    <message>
        <source>unexpected character after a closing quote (a quote inside a quoted field is written as two quotes)</source>
        <translation>右引号后出现意外字符（带引号字段中的引号应写成两个引号）</translation>
    </message>
    <message>
        <source>a quote inside an unquoted field (quote the whole field and double the quote)</source>
        <translation>未加引号的字段中含有引号（请给整个字段加引号并将引号写两次）</translation>
    </message>
    <message>
        <source>the quoted field opened here is never closed</source>
        <translation>此处开始的带引号字段始终未闭合</translation>
    </message>
    <message>
        <source>%1: the file is empty (a header row with a &quot;prompt&quot; column is required)</source>
        <translation>%1：文件为空（需要含有 &quot;prompt&quot; 列的标题行）</translation>
    </message>
    <message>
        <source>column %1 has no name</source>
        <translation>第 %1 列没有名称</translation>
    </message>
    <message>
        <source>the column &quot;%1&quot; appears twice</source>
        <translation>列 &quot;%1&quot; 出现了两次</translation>
    </message>
    <message>
        <source>no &quot;prompt&quot; column (the header has: %1)</source>
        <translation>没有 &quot;prompt&quot; 列（标题行包含：%1）</translation>
    </message>
    <message>
        <source>Imported from %1</source>
        <translation>导入自 %1</translation>
    </message>
    <message>
        <source>%1 field(s), but the header has %2</source>
        <translation>有 %1 个字段，但标题行有 %2 个</translation>
    </message>
    <message>
        <source>id: the id is empty</source>
        <translation>id：id 为空</translation>
    </message>
    <message>
        <source>id: duplicate case id &quot;%1&quot;</source>
        <translation>id：重复的用例 id &quot;%1&quot;</translation>
    </message>
    <message>
        <source>prompt: the prompt is empty</source>
        <translation>prompt：提示词为空</translation>
    </message>
    <message>
        <source>prompt: unknown variable {{%1}} (no column of that name)</source>
        <translation>prompt：未知变量 {{%1}}（没有同名的列）</translation>
    </message>
    <message>
        <source>the file has a header but no cases</source>
        <translation>文件有标题行但没有用例</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>无法打开 %1：%2</translation>
    </message>
    <message>
        <source>%1: the file is too large (the limit is %2 MiB)</source>
        <translation>%1：文件过大（上限为 %2 MiB）</translation>
    </message>
</context>
<context>
    <name>Disagreement</name>
    <message>
        <source>Number</source>
        <translation>数字</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
</context>
<context>
    <name>EmbeddedSimulator</name>
    <message>
        <source>The simulator cannot listen on 127.0.0.1: %1</source>
        <translation>模拟器无法在 127.0.0.1 上监听：%1</translation>
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
        <translation>%1 分钟</translation>
    </message>
    <message>
        <source>Cannot resolve %1</source>
        <translation>无法解析 %1</translation>
    </message>
    <message>
        <source>Connection refused by %1 — is the server running?</source>
        <translation>%1 拒绝了连接——服务器是否在运行？</translation>
    </message>
    <message>
        <source>%1 closed the connection</source>
        <translation>%1 关闭了连接</translation>
    </message>
    <message>
        <source>TLS handshake with %1 failed</source>
        <translation>与 %1 的 TLS 握手失败</translation>
    </message>
    <message>
        <source>TLS certificate not trusted: %1</source>
        <translation>TLS 证书不受信任：%1</translation>
    </message>
    <message>
        <source>The network is not available</source>
        <translation>网络不可用</translation>
    </message>
    <message>
        <source>The proxy refused the connection to %1</source>
        <translation>代理拒绝了到 %1 的连接</translation>
    </message>
    <message>
        <source>The proxy closed the connection to %1</source>
        <translation>代理关闭了到 %1 的连接</translation>
    </message>
    <message>
        <source>Cannot resolve the proxy for %1</source>
        <translation>无法解析 %1 的代理</translation>
    </message>
    <message>
        <source>The proxy for %1 did not answer in time</source>
        <translation>%1 的代理未及时应答</translation>
    </message>
    <message>
        <source>The proxy for %1 requires authentication</source>
        <translation>%1 的代理需要身份验证</translation>
    </message>
    <message>
        <source>Malformed HTTP response from %1</source>
        <translation>来自 %1 的 HTTP 响应格式错误</translation>
    </message>
    <message>
        <source>timed out talking to %1</source>
        <translation>与 %1 通信超时</translation>
    </message>
    <message>
        <source>Network error talking to %1 (code %2)</source>
        <translation>与 %1 通信时出现网络错误（代码 %2）</translation>
    </message>
    <message>
        <source>Network error talking to %1: %2</source>
        <translation>与 %1 通信时出现网络错误：%2</translation>
    </message>
    <message>
        <source>timed out: could not connect to %1 within %2</source>
        <translation>超时：%2 内未能连接到 %1</translation>
    </message>
    <message>
        <source>timed out: %1 sent no response within %2</source>
        <translation>超时：%1 在 %2 内未发送响应</translation>
    </message>
    <message>
        <source>timed out: no content within %1 of sending the request</source>
        <translation>超时：发送请求后 %1 内没有内容</translation>
    </message>
    <message>
        <source>timed out: no data for %1</source>
        <translation>超时：%1 内没有数据</translation>
    </message>
    <message>
        <source>timed out: no new content for %1 (only keep-alives)</source>
        <translation>超时：%1 内没有新内容（只有保活消息）</translation>
    </message>
    <message>
        <source>timed out (deadline): no complete answer after %1</source>
        <translation>超时（截止时间）：%1 后仍没有完整回答</translation>
    </message>
    <message>
        <source>timed out after %1</source>
        <translation>%1 后超时</translation>
    </message>
    <message>
        <source>Connection refused by %1 — is Ollama running? Start it with “ollama serve”.</source>
        <translation>%1 拒绝连接 — Ollama 是否在运行？请用 “ollama serve” 启动它。</translation>
    </message>
    <message>
        <source>Connection refused by %1 — is %2 running?</source>
        <translation>%1 拒绝连接 — %2 是否在运行？</translation>
    </message>
    <message>
        <source>blocked by the provider&apos;s safety filter (%1)</source>
        <translation>被提供商的安全过滤器拦截（%1）</translation>
    </message>
    <message>
        <source>no content type</source>
        <translation>无内容类型</translation>
    </message>
    <message>
        <source>Unexpected response (%1) from %2</source>
        <translation>来自 %2 的意外响应（%1）</translation>
    </message>
    <message>
        <source>Unexpected response (%1) from %2: %3</source>
        <translation>来自 %2 的意外响应（%1）：%3</translation>
    </message>
    <message>
        <source>The prompt is longer than the model&apos;s context window; shorten it or pick a model with a longer context (%1)</source>
        <translation>提示词超出模型的上下文窗口；请缩短提示词或选择上下文更长的模型（%1）</translation>
    </message>
</context>
<context>
    <name>Grader</name>
    <message>
        <source>the assertion&apos;s value is not a JSON schema</source>
        <translation>断言的值不是 JSON schema</translation>
    </message>
    <message>
        <source> (not checked: %1)</source>
        <translation> （未检查：%1）</translation>
    </message>
    <message>
        <source>%1 matches the schema%2</source>
        <translation>%1 符合 schema%2</translation>
    </message>
    <message>
        <source>%1 does not match the schema: %2</source>
        <translation>%1 不符合 schema：%2</translation>
    </message>
    <message>
        <source> (read from the answer text)</source>
        <translation> （从回答文本中读取）</translation>
    </message>
    <message>
        <source>no tool call in the answer</source>
        <translation>回答中没有工具调用</translation>
    </message>
    <message>
        <source>the assertion&apos;s value lists no tool definitions</source>
        <translation>断言的值中未列出工具定义</translation>
    </message>
    <message>
        <source>a tool call has no name%1</source>
        <translation>某个工具调用没有名称%1</translation>
    </message>
    <message>
        <source>the arguments of %1 are not a JSON object%2</source>
        <translation>%1 的参数不是 JSON 对象%2</translation>
    </message>
    <message>
        <source>%1 is not one of the tools offered (%2)</source>
        <translation>%1 不在提供的工具之列（%2）</translation>
    </message>
    <message>
        <source>the arguments of %1 do not match its parameters: %2</source>
        <translation>%1 的参数与其参数定义不符：%2</translation>
    </message>
    <message>
        <source>the assertion names no tool call to expect</source>
        <translation>断言未指定预期的工具调用</translation>
    </message>
    <message>
        <source>expected a tool name or {&quot;name&quot;, &quot;arguments&quot;} in the assertion&apos;s value</source>
        <translation>断言的值中应为工具名称或 {&quot;name&quot;, &quot;arguments&quot;}</translation>
    </message>
    <message>
        <source>%1 was called with other arguments than %2</source>
        <translation>调用 %1 时使用的参数与 %2 不同</translation>
    </message>
    <message>
        <source>no call of %1</source>
        <translation>没有对 %1 的调用</translation>
    </message>
    <message>
        <source>%1 of %2 expected tool call(s) made</source>
        <translation>已进行 %2 个预期工具调用中的 %1 个</translation>
    </message>
    <message>
        <source>%1 of %2 expected tool call(s) made; %3</source>
        <translation>已进行 %2 个预期工具调用中的 %1 个；%3</translation>
    </message>
    <message>
        <source>expected JSON equal to %1</source>
        <translation>应为等于 %1 的 JSON</translation>
    </message>
    <message>
        <source>expected exactly &quot;%1&quot;</source>
        <translation>应恰好为 &quot;%1&quot;</translation>
    </message>
    <message>
        <source>expected to contain &quot;%1&quot;</source>
        <translation>应包含 &quot;%1&quot;</translation>
    </message>
    <message>
        <source>expected to contain &quot;%1&quot; (any case)</source>
        <translation>应包含 &quot;%1&quot;（不区分大小写）</translation>
    </message>
    <message>
        <source>expected not to contain &quot;%1&quot;</source>
        <translation>不应包含 &quot;%1&quot;</translation>
    </message>
    <message>
        <source>expected to start with &quot;%1&quot;</source>
        <translation>应以 &quot;%1&quot; 开头</translation>
    </message>
    <message>
        <source>expected to end with &quot;%1&quot;</source>
        <translation>应以 &quot;%1&quot; 结尾</translation>
    </message>
    <message>
        <source>%1 of %2 expected phrases found</source>
        <translation>找到了 %2 个预期短语中的 %1 个</translation>
    </message>
    <message>
        <source>invalid regular expression: %1</source>
        <translation>无效的正则表达式：%1</translation>
    </message>
    <message>
        <source>expected to match /%1/</source>
        <translation>应匹配 /%1/</translation>
    </message>
    <message>
        <source>expected the whole answer to be JSON</source>
        <translation>整个回答应为 JSON</translation>
    </message>
    <message>
        <source>the answer is JSON</source>
        <translation>回答是 JSON</translation>
    </message>
    <message>
        <source>the answer</source>
        <translation>回答</translation>
    </message>
    <message>
        <source>expected a JSON value in the answer</source>
        <translation>回答中应包含 JSON 值</translation>
    </message>
    <message>
        <source>the answer contains JSON</source>
        <translation>回答包含 JSON</translation>
    </message>
    <message>
        <source>the JSON in the answer</source>
        <translation>回答中的 JSON</translation>
    </message>
    <message>
        <source>edit distance at least %1 (at most %2)</source>
        <translation>编辑距离至少为 %1（最多 %2）</translation>
    </message>
    <message>
        <source>edit distance %1 (at most %2)</source>
        <translation>编辑距离 %1（最多 %2）</translation>
    </message>
    <message>
        <source>%1 words (%2 to %3)</source>
        <translation>%1 个词（%2 到 %3）</translation>
    </message>
    <message>
        <source>the assertion gives no word count (a number or {&quot;min&quot;, &quot;max&quot;})</source>
        <translation>断言未给出词数（数字或 {&quot;min&quot;, &quot;max&quot;}）</translation>
    </message>
    <message>
        <source>%1 words (expected %2)</source>
        <translation>%1 个词（应为 %2）</translation>
    </message>
    <message>
        <source>the %1 assertion needs a threshold</source>
        <translation>%1 断言需要阈值</translation>
    </message>
    <message>
        <source>latency was not measured</source>
        <translation>未测量延迟</translation>
    </message>
    <message>
        <source>cost is unknown</source>
        <translation>成本未知</translation>
    </message>
    <message>
        <source>%1 ms (at most %2 ms)</source>
        <translation>%1 ms（最多 %2 ms）</translation>
    </message>
    <message>
        <source>$%1 (at most $%2)</source>
        <translation>$%1（最多 $%2）</translation>
    </message>
    <message>
        <source>the assertion gives no number to compare with</source>
        <translation>断言未给出用于比较的数字</translation>
    </message>
    <message>
        <source>no number in the answer (expected %1)</source>
        <translation>回答中没有数字（应为 %1）</translation>
    </message>
    <message>
        <source>found %1, expected %2 ± %3</source>
        <translation>找到 %1，应为 %2 ± %3</translation>
    </message>
    <message>
        <source>unknown grader &quot;%1&quot;: this check cannot be graded</source>
        <translation>未知评分器 &quot;%1&quot;：无法对此检查评分</translation>
    </message>
    <message>
        <source>waiting for a judge</source>
        <translation>正在等待评审</translation>
    </message>
    <message>
        <source>not: %1</source>
        <translation>非：%1</translation>
    </message>
    <message>
        <source>waiting for the code tests</source>
        <translation>正在等待代码测试</translation>
    </message>
    <message>
        <source>no code block in the answer</source>
        <translation>回答中没有代码块</translation>
    </message>
</context>
<context>
    <name>HistoryCommands</name>
    <message>
        <source>Send the cells an interrupted or cancelled run is missing, into that run.</source>
        <translation>发送中断或已取消的运行所缺少的请求，并补入该运行。</translation>
    </message>
    <message>
        <source>Workspace with the run&apos;s providers (keys are never stored).</source>
        <translation>包含该运行所用提供商的工作区（密钥从不保存）。</translation>
    </message>
    <message>
        <source>file</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>The run used the demo workspace.</source>
        <translation>该运行使用了演示工作区。</translation>
    </message>
    <message>
        <source>As for run. May be repeated.</source>
        <translation>与 run 相同。可重复指定。</translation>
    </message>
    <message>
        <source>gate</source>
        <translation>门槛</translation>
    </message>
    <message>
        <source>Give the id of the run to resume (slopscope-cli resume RUN_ID).</source>
        <translation>请指定要恢复的运行的 id（slopscope-cli resume RUN_ID）。</translation>
    </message>
    <message>
        <source>resume continues a run of the history: it needs a database, not --no-db.</source>
        <translation>resume 用于继续历史记录中的运行：它需要数据库，不能使用 --no-db。</translation>
    </message>
    <message>
        <source>Run %1 completed; there is nothing to resume.</source>
        <translation>运行 %1 已完成；没有需要恢复的内容。</translation>
    </message>
    <message>
        <source>Run %1 used real providers: give the workspace that defines them (--workspace FILE).</source>
        <translation>运行 %1 使用了真实的提供商：请指定定义这些提供商的工作区（--workspace FILE）。</translation>
    </message>
    <message>
        <source>Write a recorded run&apos;s reports again, from the database alone.</source>
        <translation>仅根据数据库重新写出已记录运行的报告。</translation>
    </message>
    <message>
        <source>History database (default: the user&apos;s).</source>
        <translation>历史数据库（默认：当前用户的数据库）。</translation>
    </message>
    <message>
        <source>Give the id of the run to report (slopscope-cli report RUN_ID).</source>
        <translation>请指定要生成报告的运行的 id（slopscope-cli report RUN_ID）。</translation>
    </message>
    <message>
        <source>Nothing to write: give --report, --chart, --summary, --csv or --jsonl.</source>
        <translation>没有要写入的内容：请指定 --report、--chart、--summary、--csv 或 --jsonl。</translation>
    </message>
    <message>
        <source>Add every run of the given databases to one database.</source>
        <translation>将指定数据库中的所有运行添加到一个数据库中。</translation>
    </message>
    <message>
        <source>The database to merge into (created if missing).</source>
        <translation>要合并到的数据库（不存在时会创建）。</translation>
    </message>
    <message>
        <source>Usage: slopscope-cli merge SOURCE.sqlite... --db TARGET.sqlite</source>
        <translation>用法：slopscope-cli merge SOURCE.sqlite... --db TARGET.sqlite</translation>
    </message>
    <message>
        <source>Cannot create a temporary folder: %1</source>
        <translation>无法创建临时文件夹：%1</translation>
    </message>
    <message>
        <source>%1: run %2 skipped: %3</source>
        <translation>%1：已跳过运行 %2：%3</translation>
    </message>
    <message>
        <source>Merged %1 run(s) into %2; %3 skipped.</source>
        <translation>已将 %1 个运行合并到 %2；跳过 %3 个。</translation>
    </message>
    <message>
        <source>Convert a promptfoo configuration, a CSV or a JSONL chat log into a suite.</source>
        <translation>将 promptfoo 配置、CSV 或 JSONL 聊天日志转换为测试集。</translation>
    </message>
    <message>
        <source>The suite file to write.</source>
        <translation>要写入的测试集文件。</translation>
    </message>
    <message>
        <source>suite.json</source>
        <translation>测试集.json</translation>
    </message>
    <message>
        <source>jsonl: keep N conversations.</source>
        <translation>jsonl：保留 N 个对话。</translation>
    </message>
    <message>
        <source>n</source>
        <translation>n</translation>
    </message>
    <message>
        <source>jsonl: seed of the sample and shuffle.</source>
        <translation>jsonl：抽样和打乱顺序所用的种子。</translation>
    </message>
    <message>
        <source>s</source>
        <translation>s</translation>
    </message>
    <message>
        <source>jsonl: order the cases by the seed.</source>
        <translation>jsonl：按种子对用例排序。</translation>
    </message>
    <message>
        <source>jsonl: keep e-mail addresses, phone numbers and key-like strings.</source>
        <translation>jsonl：保留电子邮件地址、电话号码和类似密钥的字符串。</translation>
    </message>
    <message>
        <source>Usage: slopscope-cli import promptfoo|csv|jsonl FILE --out SUITE.json</source>
        <translation>用法：slopscope-cli import promptfoo|csv|jsonl FILE --out SUITE.json</translation>
    </message>
    <message>
        <source>provider %1 → %2%3</source>
        <translation>提供商 %1 → %2%3</translation>
    </message>
    <message>
        <source>not mapped</source>
        <translation>未映射</translation>
    </message>
    <message>
        <source>--sample takes a whole number of at least 1.</source>
        <translation>--sample 需要不小于 1 的整数。</translation>
    </message>
    <message>
        <source>--seed takes a whole number.</source>
        <translation>--seed 需要整数。</translation>
    </message>
    <message>
        <source>%1 conversation(s) read, %2 kept</source>
        <translation>已读取 %1 个对话，保留 %2 个</translation>
    </message>
    <message>
        <source>Unknown import format &quot;%1&quot;: promptfoo, csv or jsonl.</source>
        <translation>未知的导入格式 &quot;%1&quot;：应为 promptfoo、csv 或 jsonl。</translation>
    </message>
    <message>
        <source>The imported suite does not load back: %1</source>
        <translation>导入的测试集无法重新加载：%1</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>%1 case(s) written to %2</source>
        <translation>已将 %1 个用例写入 %2</translation>
    </message>
    <message>
        <source>List the runs of the history, newest first.</source>
        <translation>列出历史记录中的运行，最新的在前。</translation>
    </message>
    <message>
        <source>The people&apos;s ratings of this run could not be read, so the report has no judge–human agreement: %1</source>
        <translation>无法读取此运行的人工评分，因此报告中没有评审与人工的一致性：%1</translation>
    </message>
</context>
<context>
    <name>HistoryStore</name>
    <message>
        <source>%1 is not an SQLite database (its header is wrong).</source>
        <translation>%1 不是 SQLite 数据库（其文件头有误）。</translation>
    </message>
    <message>
        <source>Cannot move %1 aside to %2.</source>
        <translation>无法将 %1 移到一旁的 %2。</translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1（%2）：%3</translation>
    </message>
    <message>
        <source>Cannot create the folder %1 for the history database.</source>
        <translation>无法为历史数据库创建文件夹 %1。</translation>
    </message>
    <message>
        <source>The folder %1 is read-only, so the history database cannot be written there. Choose another data folder or make this one writable.</source>
        <translation>文件夹 %1 为只读，无法在其中写入历史数据库。请选择其他数据文件夹，或使此文件夹可写。</translation>
    </message>
    <message>
        <source>The history database %1 is read-only.</source>
        <translation>历史数据库 %1 为只读。</translation>
    </message>
    <message>
        <source>Cannot open the history database %1 for writing: %2</source>
        <translation>无法以写入方式打开历史数据库 %1：%2</translation>
    </message>
    <message>
        <source>The history database %1 is damaged: %2</source>
        <translation>历史数据库 %1 已损坏：%2</translation>
    </message>
    <message>
        <source>The history database %1 is locked by another program and did not become free within %2 s.</source>
        <translation>历史数据库 %1 被其他程序锁定，且在 %2 秒内未被释放。</translation>
    </message>
    <message>
        <source>Cannot open the history database %1: %2</source>
        <translation>无法打开历史数据库 %1：%2</translation>
    </message>
    <message>
        <source>Cannot prepare the history database</source>
        <translation>无法准备历史数据库</translation>
    </message>
    <message>
        <source>There is no history database at %1.</source>
        <translation>%1 处没有历史数据库。</translation>
    </message>
    <message>
        <source>Cannot read the history</source>
        <translation>无法读取历史记录</translation>
    </message>
    <message>
        <source>There is no run %1 in the history.</source>
        <translation>历史记录中没有运行 %1。</translation>
    </message>
    <message>
        <source>Cannot delete the run</source>
        <translation>无法删除该运行</translation>
    </message>
    <message>
        <source>The backup %1 is not a sound database.</source>
        <translation>备份 %1 不是完好的数据库。</translation>
    </message>
    <message>
        <source>Cannot copy the backup %1 to %2.</source>
        <translation>无法将备份 %1 复制到 %2。</translation>
    </message>
    <message>
        <source>Cannot check the history</source>
        <translation>无法检查历史记录</translation>
    </message>
    <message>
        <source>search index: %1</source>
        <translation>搜索索引：%1</translation>
    </message>
    <message>
        <source>Cannot list the runs</source>
        <translation>无法列出运行</translation>
    </message>
    <message>
        <source>Cannot load the run</source>
        <translation>无法加载该运行</translation>
    </message>
    <message>
        <source>Cannot search the history</source>
        <translation>无法搜索历史记录</translation>
    </message>
    <message>
        <source>Cannot read the drift of %1</source>
        <translation>无法读取 %1 的漂移</translation>
    </message>
    <message>
        <source>Cannot read the run</source>
        <translation>无法读取该运行</translation>
    </message>
    <message>
        <source>Cannot read the ratings</source>
        <translation>无法读取评分</translation>
    </message>
    <message>
        <source>%1 already exists; choose another name.</source>
        <translation>%1 已存在；请选择其他名称。</translation>
    </message>
    <message>
        <source>Cannot create %1: %2</source>
        <translation>无法创建 %1：%2</translation>
    </message>
    <message>
        <source>Cannot export the run to %1: %2</source>
        <translation>无法将该运行导出到 %1：%2</translation>
    </message>
    <message>
        <source>The history is open read-only.</source>
        <translation>历史记录以只读方式打开。</translation>
    </message>
    <message>
        <source>%1 is not a Slopscope history file: %2</source>
        <translation>%1 不是 Slopscope 历史文件：%2</translation>
    </message>
    <message>
        <source>%1 was exported by a newer version of Slopscope; update Slopscope to import it.</source>
        <translation>%1 由更新版本的 Slopscope 导出；请更新 Slopscope 后再导入。</translation>
    </message>
    <message>
        <source>%1 is not a Slopscope history file.</source>
        <translation>%1 不是 Slopscope 历史文件。</translation>
    </message>
    <message>
        <source>Cannot read %1.</source>
        <translation>无法读取 %1。</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>The run %1 is already in the history.</source>
        <translation>运行 %1 已在历史记录中。</translation>
    </message>
    <message>
        <source>Cannot import %1: %2</source>
        <translation>无法导入 %1：%2</translation>
    </message>
    <message>
        <source>The history database %1 was damaged (%2). It was moved to %3 and a new, empty history was started.</source>
        <translation>历史数据库 %1 已损坏（%2）。它已被移到 %3，并已开始一个新的空历史。</translation>
    </message>
    <message>
        <source>There is no backup to restore.</source>
        <translation>没有可恢复的备份。</translation>
    </message>
    <message>
        <source>The latest backup, from %1, is %2.</source>
        <translation>最新的备份（%1）是 %2。</translation>
    </message>
    <message>
        <source>A write-ahead log beside the history database %1 was written by another history; it was moved to %2 and not applied. The history itself is unchanged.</source>
        <translation>历史数据库 %1 旁的预写日志（WAL）是由另一个历史记录写入的；它已被移到 %2，未被应用。历史记录本身未改变。</translation>
    </message>
    <message>
        <source>Cannot read the arena votes</source>
        <translation>无法读取竞技场投票</translation>
    </message>
    <message>
        <source>Cannot read the cell</source>
        <translation>无法读取该单元格</translation>
    </message>
    <message>
        <source>The run has no cell %1.</source>
        <translation>该运行中没有单元格 %1。</translation>
    </message>
    <message>
        <source>The recorded detail of cell %1 is damaged: %2.</source>
        <translation>单元格 %1 的记录详情已损坏：%2。</translation>
    </message>
</context>
<context>
    <name>HtmlReport</name>
    <message>
        <source>Leaderboard</source>
        <translation>排行榜</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>质量</translation>
    </message>
    <message>
        <source>Brittleness</source>
        <translation>脆弱性</translation>
    </message>
    <message>
        <source>$ per 1k cases</source>
        <translation>每 1k 用例 $</translation>
    </message>
    <message>
        <source>Total cost</source>
        <translation>总成本</translation>
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
        <translation>解码 tok/s p50</translation>
    </message>
    <message>
        <source>Latency p50</source>
        <translation>延迟 p50</translation>
    </message>
    <message>
        <source>Latency p95</source>
        <translation>延迟 p95</translation>
    </message>
    <message>
        <source>Error rate</source>
        <translation>错误率</translation>
    </message>
    <message>
        <source>Answers ok</source>
        <translation>成功回答</translation>
    </message>
    <message>
        <source>not measured</source>
        <translation>未测量</translation>
    </message>
    <message>
        <source>%1 of %2 passed</source>
        <translation>通过 %2 项中的 %1 项</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>Rewording %1 (%2)</source>
        <translation>改写 %1（%2）</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>参考答案</translation>
    </message>
    <message>
        <source>the reference</source>
        <translation>参考答案</translation>
    </message>
    <message>
        <source>score %1</source>
        <translation>得分 %1</translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation>推理</translation>
    </message>
    <message>
        <source>Word diff against %1:</source>
        <translation>与 %1 的逐词差异：</translation>
    </message>
    <message>
        <source>(too long to diff)</source>
        <translation>（过长，无法比较差异）</translation>
    </message>
    <message>
        <source>Methodology</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>Definitions</source>
        <translation>定义</translation>
    </message>
    <message>
        <source>Run conditions</source>
        <translation>运行条件</translation>
    </message>
    <message>
        <source>Prices</source>
        <translation>价格</translation>
    </message>
    <message>
        <source>No catalogue price was overridden by the workspace.</source>
        <translation>工作区未覆盖任何目录价格。</translation>
    </message>
    <message>
        <source>Prices the workspace set over the catalogue&apos;s:</source>
        <translation>工作区覆盖目录价格的设置：</translation>
    </message>
    <message>
        <source>Run %1 · started %2 · ended %3 · Slopscope %4</source>
        <translation>运行 %1 · 开始于 %2 · 结束于 %3 · Slopscope %4</translation>
    </message>
    <message>
        <source>Price and quality</source>
        <translation>价格与质量</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>用例</translation>
    </message>
    <message>
        <source>Each target&apos;s answer to the canonical wording (first repeat), with a word diff; every sample is in the CSV and JSONL exports.</source>
        <translation>各目标对标准措辞（第一次重复）的回答，附逐词差异；所有样本均包含在 CSV 和 JSONL 导出中。</translation>
    </message>
    <message numerus="yes">
        <source>Chain: %n turn(s)</source>
        <translation>
            <numerusform>对话链：%n 轮</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HumanReview</name>
    <message>
        <source>A rating needs the answer it rates.</source>
        <translation>评分必须对应所评的回答。</translation>
    </message>
    <message>
        <source>A rating has 1 to 5 stars, not %1.</source>
        <translation>评分为 1 到 5 星，而不是 %1。</translation>
    </message>
</context>
<context>
    <name>Json</name>
    <message>
        <source>%1:%2:%3: invalid JSON: %4</source>
        <translation>%1:%2:%3：无效的 JSON：%4</translation>
    </message>
    <message>
        <source>%1: missing (a string is required)</source>
        <translation>%1：缺失（需要字符串）</translation>
    </message>
    <message>
        <source>%1: expected a string</source>
        <translation>%1：应为字符串</translation>
    </message>
    <message>
        <source>%1: missing (a number is required)</source>
        <translation>%1：缺失（需要数字）</translation>
    </message>
    <message>
        <source>%1: expected a number</source>
        <translation>%1：应为数字</translation>
    </message>
    <message>
        <source>%1: missing (an integer is required)</source>
        <translation>%1：缺失（需要整数）</translation>
    </message>
    <message>
        <source>%1: expected an integer</source>
        <translation>%1：应为整数</translation>
    </message>
    <message>
        <source>%1: %2 is out of range (%3 to %4)</source>
        <translation>%1：%2 超出范围（%3 到 %4）</translation>
    </message>
    <message>
        <source>%1: missing (true or false is required)</source>
        <translation>%1：缺失（需要 true 或 false）</translation>
    </message>
    <message>
        <source>%1: expected true or false</source>
        <translation>%1：应为 true 或 false</translation>
    </message>
    <message>
        <source>%1: missing</source>
        <translation>%1：缺失</translation>
    </message>
    <message>
        <source>an array</source>
        <translation>数组</translation>
    </message>
    <message>
        <source>an object</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>%1: expected %2</source>
        <translation>%1：应为%2</translation>
    </message>
    <message>
        <source>%1: unknown key (expected one of: %2)</source>
        <translation>%1：未知的键（应为以下之一：%2）</translation>
    </message>
    <message>
        <source>%1: invalid JSON: %2</source>
        <translation>%1: 无效的 JSON: %2</translation>
    </message>
</context>
<context>
    <name>JsonSchema</name>
    <message>
        <source>the schema nests (or refers to itself) too deeply</source>
        <translation>schema 嵌套（或自引用）过深</translation>
    </message>
    <message>
        <source>no value is allowed here</source>
        <translation>此处不允许任何值</translation>
    </message>
    <message>
        <source>the schema is not an object</source>
        <translation>schema 不是对象</translation>
    </message>
    <message>
        <source>unresolvable $ref %1</source>
        <translation>无法解析的 $ref %1</translation>
    </message>
    <message>
        <source>expected one of %1</source>
        <translation>应为 %1 之一</translation>
    </message>
    <message>
        <source>expected %1</source>
        <translation>应为 %1</translation>
    </message>
    <message>
        <source>expected %1, got %2</source>
        <translation>应为 %1，实际为 %2</translation>
    </message>
    <message>
        <source>%1 is less than the minimum %2</source>
        <translation>%1 小于最小值 %2</translation>
    </message>
    <message>
        <source>%1 is more than the maximum %2</source>
        <translation>%1 大于最大值 %2</translation>
    </message>
    <message>
        <source>%1 is not more than %2</source>
        <translation>%1 不大于 %2</translation>
    </message>
    <message>
        <source>%1 is not less than %2</source>
        <translation>%1 不小于 %2</translation>
    </message>
    <message>
        <source>%1 is not a multiple of %2</source>
        <translation>%1 不是 %2 的倍数</translation>
    </message>
    <message>
        <source>shorter than %1 characters</source>
        <translation>短于 %1 个字符</translation>
    </message>
    <message>
        <source>longer than %1 characters</source>
        <translation>长于 %1 个字符</translation>
    </message>
    <message>
        <source>the schema&apos;s pattern is not a valid regular expression</source>
        <translation>schema 的 pattern 不是有效的正则表达式</translation>
    </message>
    <message>
        <source>does not match the pattern %1</source>
        <translation>不匹配模式 %1</translation>
    </message>
    <message>
        <source>fewer than %1 items</source>
        <translation>少于 %1 项</translation>
    </message>
    <message>
        <source>more than %1 items</source>
        <translation>多于 %1 项</translation>
    </message>
    <message>
        <source>the items are not unique</source>
        <translation>各项不唯一</translation>
    </message>
    <message>
        <source>no item matches &quot;contains&quot;</source>
        <translation>没有项匹配 &quot;contains&quot;</translation>
    </message>
    <message>
        <source>fewer than %1 properties</source>
        <translation>少于 %1 个属性</translation>
    </message>
    <message>
        <source>more than %1 properties</source>
        <translation>多于 %1 个属性</translation>
    </message>
    <message>
        <source>missing required property &quot;%1&quot;</source>
        <translation>缺少必需属性 &quot;%1&quot;</translation>
    </message>
    <message>
        <source>property &quot;%1&quot; is not allowed</source>
        <translation>不允许属性 &quot;%1&quot;</translation>
    </message>
    <message>
        <source>matches none of &quot;anyOf&quot; (first: %1)</source>
        <translation>不匹配 &quot;anyOf&quot; 中的任何一项（第一项：%1）</translation>
    </message>
    <message>
        <source>matches %1 of &quot;oneOf&quot; (exactly one is required)</source>
        <translation>匹配 &quot;oneOf&quot; 中的 %1 项（必须恰好匹配一项）</translation>
    </message>
    <message>
        <source>matches the schema under &quot;not&quot;</source>
        <translation>匹配了 &quot;not&quot; 下的 schema</translation>
    </message>
</context>
<context>
    <name>JsonlImporter</name>
    <message>
        <source>%1: expected a string or a list of content parts</source>
        <translation>%1：应为字符串或内容部分列表</translation>
    </message>
    <message>
        <source>%1: expected an object with a &quot;type&quot;</source>
        <translation>%1：应为包含 &quot;type&quot; 的对象</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; content cannot be replayed (text only)</source>
        <translation>%1：&quot;%2&quot; 内容无法重放（仅支持文本）</translation>
    </message>
    <message>
        <source>%1.text: expected a string</source>
        <translation>%1.text：应为字符串</translation>
    </message>
    <message>
        <source>expected an object with &quot;messages&quot;</source>
        <translation>应为包含 &quot;messages&quot; 的对象</translation>
    </message>
    <message>
        <source>messages: a non-empty list of messages is required</source>
        <translation>messages：需要非空的消息列表</translation>
    </message>
    <message>
        <source>id: expected a non-empty string</source>
        <translation>id：应为非空字符串</translation>
    </message>
    <message>
        <source>metadata: expected an object</source>
        <translation>metadata：应为对象</translation>
    </message>
    <message>
        <source>%1: expected an object with &quot;role&quot; and &quot;content&quot;</source>
        <translation>%1：应为包含 &quot;role&quot; 和 &quot;content&quot; 的对象</translation>
    </message>
    <message>
        <source>%1.role: expected a string</source>
        <translation>%1.role：应为字符串</translation>
    </message>
    <message>
        <source>%1.role: &quot;%2&quot; messages cannot be replayed yet</source>
        <translation>%1.role：暂不能重放 &quot;%2&quot; 消息</translation>
    </message>
    <message>
        <source>%1.role: &quot;%2&quot; is not a role (system, developer, user or assistant)</source>
        <translation>%1.role：&quot;%2&quot; 不是角色（system、developer、user 或 assistant）</translation>
    </message>
    <message>
        <source>%1.tool_calls: tool calls inside a conversation cannot be replayed yet</source>
        <translation>%1.tool_calls：暂不能重放对话中的工具调用</translation>
    </message>
    <message>
        <source>%1.content: missing</source>
        <translation>%1.content：缺失</translation>
    </message>
    <message>
        <source>messages: the conversation must end with a user message (a final assistant message is the logged answer)</source>
        <translation>messages：对话必须以用户消息结尾（最后的助手消息即为记录的回答）</translation>
    </message>
    <message>
        <source>%1:%2:%3: not valid JSON: %4</source>
        <translation>%1:%2:%3：不是有效的 JSON：%4</translation>
    </message>
    <message>
        <source>%1:%2: id: duplicate case id &quot;%3&quot;</source>
        <translation>%1:%2：id：重复的用例 id &quot;%3&quot;</translation>
    </message>
    <message>
        <source>%1: no conversation to replay</source>
        <translation>%1：没有可重放的对话</translation>
    </message>
    <message>
        <source>%1: the sample must hold at least one line</source>
        <translation>%1：样本至少须包含一行</translation>
    </message>
    <message>
        <source>Shadow traffic from %1: %2 of %3 conversation(s)</source>
        <translation>来自 %1 的影子流量：%3 个对话中的 %2 个</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>无法打开 %1：%2</translation>
    </message>
    <message>
        <source>%1: the file is too large (the limit is %2 MiB)</source>
        <translation>%1：文件过大（上限为 %2 MiB）</translation>
    </message>
    <message>
        <source>%1:%2: not valid JSON: %3</source>
        <translation>%1:%2: 不是有效的 JSON: %3</translation>
    </message>
</context>
<context>
    <name>JudgeGrade</name>
    <message>
        <source>(no reason given)</source>
        <translation>（未给出理由）</translation>
    </message>
    <message>
        <source>not: judge: %1</source>
        <translation>非：评审：%1</translation>
    </message>
    <message>
        <source>judge: %1</source>
        <translation>评审：%1</translation>
    </message>
    <message>
        <source>judge error: %1</source>
        <translation>评审错误：%1</translation>
    </message>
    <message>
        <source>chosen as the best of %1 answers, in both orders: %2</source>
        <translation>在 %1 个回答中被选为最佳，两种顺序均如此：%2</translation>
    </message>
    <message>
        <source>not chosen; the judge picked another of %1 answers in both orders: %2</source>
        <translation>未被选中；两种顺序下评审都在 %1 个回答中选了另一个：%2</translation>
    </message>
    <message>
        <source>tie/inconsistent: the judge picked differently when the positions were swapped (%1)</source>
        <translation>平局/不一致：交换位置后评审的选择不同（%1）</translation>
    </message>
    <message>
        <source>not graded (%1)</source>
        <translation>未评分（%1）</translation>
    </message>
</context>
<context>
    <name>JudgePrompt</name>
    <message>
        <source>select-best needs at least two answers</source>
        <translation>select-best 至少需要两个回答</translation>
    </message>
    <message>
        <source>select-best compares at most %1 answers, not %2</source>
        <translation>select-best 最多比较 %1 个回答，而不是 %2 个</translation>
    </message>
</context>
<context>
    <name>JudgeTemplates</name>
    <message>
        <source>expected an object of judge templates</source>
        <translation>应为由评审模板组成的对象</translation>
    </message>
    <message>
        <source>%1: unknown key (expected llm-rubric, factuality or select-best)</source>
        <translation>%1：未知的键（应为 llm-rubric、factuality 或 select-best）</translation>
    </message>
    <message>
        <source>%1: expected an object with &quot;user&quot; and optionally &quot;system&quot;</source>
        <translation>%1：应为包含 &quot;user&quot; 及可选 &quot;system&quot; 的对象</translation>
    </message>
    <message>
        <source>%1.%2: unknown key (expected system or user)</source>
        <translation>%1.%2：未知的键（应为 system 或 user）</translation>
    </message>
    <message>
        <source>%1.user: the template needs the placeholder {{%2}}</source>
        <translation>%1.user：模板需要占位符 {{%2}}</translation>
    </message>
    <message>
        <source>%1: cannot read: %2</source>
        <translation>%1：无法读取：%2</translation>
    </message>
    <message>
        <source>%1: too large for a judge template file (at most 1 MiB)</source>
        <translation>%1：作为评审模板文件过大（最多 1 MiB）</translation>
    </message>
</context>
<context>
    <name>JudgeVerdict</name>
    <message>
        <source>the judge&apos;s answer is empty</source>
        <translation>评审的回答为空</translation>
    </message>
    <message>
        <source>the judge&apos;s answer is too long (%1 characters)</source>
        <translation>评审的回答过长（%1 个字符）</translation>
    </message>
    <message>
        <source>no JSON verdict in the judge&apos;s answer (&quot;%1&quot;)</source>
        <translation>评审的回答中没有 JSON 裁决（&quot;%1&quot;）</translation>
    </message>
    <message>
        <source>the verdict has no score</source>
        <translation>裁决中没有 score</translation>
    </message>
    <message>
        <source>the verdict&apos;s score is not a number (%1)</source>
        <translation>裁决中的 score 不是数字（%1）</translation>
    </message>
    <message>
        <source>the verdict&apos;s score %1 is outside 0 to 1</source>
        <translation>裁决中的 score %1 超出 0 到 1 的范围</translation>
    </message>
    <message>
        <source>the verdict&apos;s pass is not true or false (%1)</source>
        <translation>裁决中的 pass 不是 true 或 false（%1）</translation>
    </message>
    <message>
        <source>the verdict&apos;s reason is not a string</source>
        <translation>裁决中的 reason 不是字符串</translation>
    </message>
</context>
<context>
    <name>KeyCommands</name>
    <message>
        <source>Key (input hidden): </source>
        <translation>密钥（输入已隐藏）： </translation>
    </message>
    <message>
        <source>Usage: slopscope-cli keys set NAME  (the key is read from stdin; NAME is the provider&apos;s api_key_env, e.g. OPENAI_API_KEY)</source>
        <translation>用法：slopscope-cli keys set NAME（密钥从标准输入读取；NAME 是提供商的 api_key_env，例如 OPENAI_API_KEY）</translation>
    </message>
    <message>
        <source>No key on stdin; nothing was saved.</source>
        <translation>标准输入中没有密钥；未保存任何内容。</translation>
    </message>
    <message>
        <source>Saved %1 in the system keychain.</source>
        <translation>已将 %1 保存到系统密钥链。</translation>
    </message>
    <message>
        <source>Could not save %1 in the system keychain: %2</source>
        <translation>无法将 %1 保存到系统密钥链：%2</translation>
    </message>
    <message>
        <source>The key was not stored anywhere. Set the environment variable %1 instead.</source>
        <translation>密钥未存储到任何位置。请改为设置环境变量 %1。</translation>
    </message>
    <message>
        <source>Usage: slopscope-cli keys remove NAME</source>
        <translation>用法：slopscope-cli keys remove NAME</translation>
    </message>
    <message>
        <source>Removed %1 from the system keychain.</source>
        <translation>已从系统密钥链中移除 %1。</translation>
    </message>
    <message>
        <source>The system keychain holds no key named %1.</source>
        <translation>系统密钥链中没有名为 %1 的密钥。</translation>
    </message>
    <message>
        <source>Could not remove %1 from the system keychain: %2</source>
        <translation>无法从系统密钥链中移除 %1：%2</translation>
    </message>
    <message>
        <source>--workspace needs a file.</source>
        <translation>--workspace 需要一个文件。</translation>
    </message>
    <message>
        <source>Usage: slopscope-cli keys status [--workspace FILE | --demo] [NAME...]</source>
        <translation>用法：slopscope-cli keys status [--workspace FILE | --demo] [NAME...]</translation>
    </message>
    <message>
        <source>No key names: give --workspace FILE, --demo or NAME...</source>
        <translation>没有密钥名称：请指定 --workspace FILE、--demo 或 NAME...</translation>
    </message>
    <message>
        <source>environment</source>
        <translation>环境变量</translation>
    </message>
    <message>
        <source>keychain</source>
        <translation>密钥链</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>缺失</translation>
    </message>
    <message>
        <source>missing (keychain: %1)</source>
        <translation>缺失（密钥链：%1）</translation>
    </message>
    <message>
        <source>(simulated providers need none)</source>
        <translation>（模拟提供商无需密钥）</translation>
    </message>
    <message>
        <source>Keychain: no key for %1: %2</source>
        <translation>密钥链：没有 %1 的密钥：%2</translation>
    </message>
    <message>
        <source>Usage: slopscope-cli keys allow-host NAME HOST  (HOST as in the provider&apos;s base URL, e.g. api.openai.com)</source>
        <translation>用法：slopscope-cli keys allow-host NAME HOST  （HOST 与提供商基础 URL 中的主机一致，例如 api.openai.com）</translation>
    </message>
    <message>
        <source>%1 may now be sent to: %2</source>
        <translation>现在可以将 %1 发送到：%2</translation>
    </message>
    <message>
        <source>Usage: slopscope-cli keys set NAME | remove NAME | allow-host NAME HOST | status [--workspace FILE | --demo] [NAME...]</source>
        <translation>用法：slopscope-cli keys set NAME | remove NAME | allow-host NAME HOST | status [--workspace FILE | --demo] [NAME...]</translation>
    </message>
</context>
<context>
    <name>KeyStore</name>
    <message>
        <source>No key named %1 is stored.</source>
        <translation>未存储名为 %1 的密钥。</translation>
    </message>
    <message>
        <source>No keychain service is available (no session bus or no secret service running).</source>
        <translation>没有可用的密钥链服务（没有会话总线或未运行 Secret Service）。</translation>
    </message>
    <message>
        <source>The keychain is locked.</source>
        <translation>密钥链已锁定。</translation>
    </message>
    <message>
        <source>Access to the keychain was denied.</source>
        <translation>访问密钥链被拒绝。</translation>
    </message>
    <message>
        <source>Keychain not responding.</source>
        <translation>密钥链无响应。</translation>
    </message>
    <message>
        <source>The keychain failed.</source>
        <translation>密钥链出错。</translation>
    </message>
</context>
<context>
    <name>MarkdownReport</name>
    <message>
        <source>Leaderboard</source>
        <translation>排行榜</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Quality (95% interval)</source>
        <translation>质量（95% 区间）</translation>
    </message>
    <message>
        <source>Brittleness</source>
        <translation>脆弱性</translation>
    </message>
    <message>
        <source>$/1k cases</source>
        <translation>$/1k 用例</translation>
    </message>
    <message>
        <source>TTFT p50</source>
        <translation>TTFT p50</translation>
    </message>
    <message>
        <source>Decode tok/s p50</source>
        <translation>解码 tok/s p50</translation>
    </message>
    <message>
        <source>Error rate</source>
        <translation>错误率</translation>
    </message>
    <message>
        <source>n</source>
        <translation>n</translation>
    </message>
    <message>
        <source>not measured</source>
        <translation>未测量</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>用例</translation>
    </message>
    <message>
        <source>Each target&apos;s answer to the canonical wording (first repeat); every sample is in the CSV and JSONL exports.</source>
        <translation>各目标对标准措辞（第一次重复）的回答；所有样本均包含在 CSV 和 JSONL 导出中。</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>参考答案</translation>
    </message>
    <message>
        <source>score %1</source>
        <translation>得分 %1</translation>
    </message>
    <message>
        <source>Methodology</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>Definitions</source>
        <translation>定义</translation>
    </message>
    <message>
        <source>Run conditions</source>
        <translation>运行条件</translation>
    </message>
    <message>
        <source>Prices</source>
        <translation>价格</translation>
    </message>
    <message>
        <source>No catalogue price was overridden by the workspace.</source>
        <translation>工作区未覆盖任何目录价格。</translation>
    </message>
    <message>
        <source>Prices the workspace set over the catalogue&apos;s:</source>
        <translation>工作区覆盖目录价格的设置：</translation>
    </message>
    <message numerus="yes">
        <source>Chain: %n turn(s)</source>
        <translation>
            <numerusform>对话链：%n 轮</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PairwiseJudgement</name>
    <message>
        <source>first ask: %1</source>
        <translation>首次询问：%1</translation>
    </message>
    <message>
        <source>swapped ask: %1</source>
        <translation>交换后询问：%1</translation>
    </message>
    <message>
        <source>a pick is outside the answers shown</source>
        <translation>某个选择超出了显示的回答范围</translation>
    </message>
</context>
<context>
    <name>PdfReport</name>
    <message>
        <source>Run %1 · started %2 · ended %3 · Slopscope %4</source>
        <translation>运行 %1 · 开始于 %2 · 结束于 %3 · Slopscope %4</translation>
    </message>
    <message>
        <source>Leaderboard</source>
        <translation>排行榜</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Quality [95% interval]</source>
        <translation>质量 [95% 区间]</translation>
    </message>
    <message>
        <source>Brittleness</source>
        <translation>脆弱性</translation>
    </message>
    <message>
        <source>$ / 1k cases</source>
        <translation>$ / 1k 用例</translation>
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
        <translation>延迟 p95</translation>
    </message>
    <message>
        <source>Error rate</source>
        <translation>错误率</translation>
    </message>
    <message>
        <source>n</source>
        <translation>n</translation>
    </message>
    <message>
        <source>not measured</source>
        <translation>未测量</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>用例</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>参考答案</translation>
    </message>
    <message>
        <source>score %1</source>
        <translation>得分 %1</translation>
    </message>
    <message>
        <source>Methodology</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>Definitions</source>
        <translation>定义</translation>
    </message>
    <message>
        <source>Run conditions</source>
        <translation>运行条件</translation>
    </message>
    <message>
        <source>Prices</source>
        <translation>价格</translation>
    </message>
    <message>
        <source>No catalogue price was overridden by the workspace.</source>
        <translation>工作区未覆盖任何目录价格。</translation>
    </message>
    <message>
        <source>Prices the workspace set over the catalogue&apos;s:</source>
        <translation>工作区覆盖目录价格的设置：</translation>
    </message>
    <message>
        <source>Writing a PDF needs the graphical application (a QGuiApplication).</source>
        <translation>写入 PDF 需要图形界面应用程序（QGuiApplication）。</translation>
    </message>
    <message>
        <source>The PDF writer could not start.</source>
        <translation>PDF 写入器无法启动。</translation>
    </message>
    <message numerus="yes">
        <source>Chain: %n turn(s)</source>
        <translation>
            <numerusform>对话链：%n 轮</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PriceCatalogue</name>
    <message>
        <source>unknown catalogue</source>
        <translation>未知目录</translation>
    </message>
    <message>
        <source>%1:%2:%3: invalid JSON: %4</source>
        <translation>%1:%2:%3：无效的 JSON：%4</translation>
    </message>
    <message>
        <source>%1: expected a JSON object of models</source>
        <translation>%1：应为由模型组成的 JSON 对象</translation>
    </message>
    <message>
        <source>%1: expected a JSON object {&quot;source&quot;, &quot;commit&quot;, &quot;date&quot;}</source>
        <translation>%1：应为 JSON 对象 {&quot;source&quot;, &quot;commit&quot;, &quot;date&quot;}</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; must be a non-empty string</source>
        <translation>%1：&quot;%2&quot; 必须是非空字符串</translation>
    </message>
    <message>
        <source>%1: the bundled price catalogue is missing</source>
        <translation>%1：缺少内置的价格目录</translation>
    </message>
    <message>
        <source>%1: the bundled price table is missing</source>
        <translation>%1：缺少内置的价格表</translation>
    </message>
    <message>
        <source>%1: expected an object of model keys</source>
        <translation>%1：应为由模型键组成的对象</translation>
    </message>
    <message>
        <source>%1: %2: expected an object of prices</source>
        <translation>%1：%2：应为由价格组成的对象</translation>
    </message>
    <message>
        <source>%1: unknown price field (expected input_per_mtok, output_per_mtok, cached_input_per_mtok, cache_write_per_mtok or reasoning_per_mtok)</source>
        <translation>%1：未知的价格字段（应为 input_per_mtok、output_per_mtok、cached_input_per_mtok、cache_write_per_mtok 或 reasoning_per_mtok）</translation>
    </message>
    <message>
        <source>%1: a price cannot be negative</source>
        <translation>%1：价格不能为负数</translation>
    </message>
</context>
<context>
    <name>PromptfooImporter</name>
    <message>
        <source>OpenAI %1 endpoints are not chat; not mapped</source>
        <translation>OpenAI %1 端点不是聊天接口；未映射</translation>
    </message>
    <message>
        <source>Anthropic&apos;s legacy completion API is not supported; not mapped</source>
        <translation>不支持 Anthropic 的旧版补全 API；未映射</translation>
    </message>
    <message>
        <source>Vertex AI speaks Gemini&apos;s format; set your project&apos;s endpoint as the base URL</source>
        <translation>Vertex AI 使用 Gemini 的格式；请将项目的端点设为基础 URL</translation>
    </message>
    <message>
        <source>Ollama embeddings are not chat; not mapped</source>
        <translation>Ollama 嵌入接口不是聊天接口；未映射</translation>
    </message>
    <message>
        <source>runs through Ollama&apos;s chat API instead of /api/generate</source>
        <translation>通过 Ollama 的聊天 API 运行，而不是 /api/generate</translation>
    </message>
    <message>
        <source>Azure OpenAI: set your resource&apos;s deployment URL as the base URL</source>
        <translation>Azure OpenAI：请将资源的部署 URL 设为基础 URL</translation>
    </message>
    <message>
        <source>Slopscope cannot call &quot;%1&quot; providers; not mapped</source>
        <translation>Slopscope 无法调用 &quot;%1&quot; 提供商；未映射</translation>
    </message>
    <message>
        <source>no model named; not mapped</source>
        <translation>未指定模型；未映射</translation>
    </message>
    <message>
        <source>a promptfoo configuration must be a mapping (prompts, providers, tests)</source>
        <translation>promptfoo 配置必须是映射（prompts、providers、tests）</translation>
    </message>
    <message>
        <source>the key &quot;%1&quot; is not imported</source>
        <translation>键 &quot;%1&quot; 不会被导入</translation>
    </message>
    <message>
        <source>expected a string</source>
        <translation>应为字符串</translation>
    </message>
    <message>
        <source>scenarios are not imported; only tests are</source>
        <translation>不导入 scenarios；仅导入 tests</translation>
    </message>
    <message>
        <source>custom nunjucks filters are not imported</source>
        <translation>不导入自定义 nunjucks 过滤器</translation>
    </message>
    <message>
        <source>at least one prompt is required</source>
        <translation>至少需要一个提示词</translation>
    </message>
    <message>
        <source>the configuration yields no test</source>
        <translation>该配置未产生任何测试</translation>
    </message>
    <message>
        <source>nested too deeply</source>
        <translation>嵌套过深</translation>
    </message>
    <message>
        <source>the configuration is too large once its aliases are expanded (more than %1 values)</source>
        <translation>展开别名后配置过大（超过 %1 个值）</translation>
    </message>
    <message>
        <source>keys must be plain strings</source>
        <translation>键必须是普通字符串</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>%1 is too large</source>
        <translation>%1 过大</translation>
    </message>
    <message>
        <source>no file %1</source>
        <translation>没有文件 %1</translation>
    </message>
    <message>
        <source>no file matches %1</source>
        <translation>没有与 %1 匹配的文件</translation>
    </message>
    <message>
        <source>a chat prompt must be a list of {&quot;role&quot;, &quot;content&quot;} messages</source>
        <translation>聊天提示词必须是由 {&quot;role&quot;, &quot;content&quot;} 消息组成的列表</translation>
    </message>
    <message>
        <source>the prompt is empty</source>
        <translation>提示词为空</translation>
    </message>
    <message>
        <source>nunjucks tags ({% … %}) are not supported; only {{var}} placeholders are</source>
        <translation>不支持 nunjucks 标签（{% … %}）；仅支持 {{var}} 占位符</translation>
    </message>
    <message>
        <source>nunjucks filters ({{ var | filter }}) are not supported</source>
        <translation>不支持 nunjucks 过滤器（{{ var | filter }}）</translation>
    </message>
    <message>
        <source>prompt functions (%1) cannot be imported; use text or chat prompts</source>
        <translation>无法导入提示词函数（%1）；请使用文本或聊天提示词</translation>
    </message>
    <message>
        <source>%1 is not valid JSON</source>
        <translation>%1 不是有效的 JSON</translation>
    </message>
    <message>
        <source>%1:%2: %3</source>
        <translation>%1:%2：%3</translation>
    </message>
    <message>
        <source>%1 must hold a list of {&quot;role&quot;, &quot;content&quot;} messages</source>
        <translation>%1 必须包含由 {&quot;role&quot;, &quot;content&quot;} 消息组成的列表</translation>
    </message>
    <message>
        <source>%1:%2: expected a list of {&quot;role&quot;, &quot;content&quot;} messages</source>
        <translation>%1:%2：应为由 {&quot;role&quot;, &quot;content&quot;} 消息组成的列表</translation>
    </message>
    <message>
        <source>expected a prompt or a list of prompts</source>
        <translation>应为提示词或提示词列表</translation>
    </message>
    <message>
        <source>expected a string or {raw|id, label}</source>
        <translation>应为字符串或 {raw|id, label}</translation>
    </message>
    <message>
        <source>expected chat messages</source>
        <translation>应为聊天消息</translation>
    </message>
    <message>
        <source>a prompt object needs &quot;raw&quot; or &quot;id&quot;</source>
        <translation>提示词对象需要 &quot;raw&quot; 或 &quot;id&quot;</translation>
    </message>
    <message>
        <source>expected a mapping</source>
        <translation>应为映射</translation>
    </message>
    <message>
        <source>%1: the API key in the configuration is not imported; Slopscope reads keys from the environment</source>
        <translation>%1：不导入配置中的 API 密钥；Slopscope 从环境变量读取密钥</translation>
    </message>
    <message>
        <source>expected a provider id or a list of providers</source>
        <translation>应为提供商 id 或提供商列表</translation>
    </message>
    <message>
        <source>expected a provider id or {id, label, config}</source>
        <translation>应为提供商 id 或 {id, label, config}</translation>
    </message>
    <message>
        <source>a provider object needs an &quot;id&quot;</source>
        <translation>提供商对象需要 &quot;id&quot;</translation>
    </message>
    <message>
        <source>tests from %1 cannot be imported (YAML, JSON, JSONL or CSV only)</source>
        <translation>无法导入来自 %1 的测试（仅支持 YAML、JSON、JSONL 或 CSV）</translation>
    </message>
    <message>
        <source>expected a list of tests</source>
        <translation>应为测试列表</translation>
    </message>
    <message>
        <source>%1 field(s), but the header has %2</source>
        <translation>有 %1 个字段，但标题行有 %2 个</translation>
    </message>
    <message>
        <source>expected a number</source>
        <translation>应为数字</translation>
    </message>
    <message>
        <source>the CSV column &quot;%1&quot; is not imported</source>
        <translation>CSV 列 &quot;%1&quot; 不会被导入</translation>
    </message>
    <message>
        <source>expected a list of tests or a file:// reference</source>
        <translation>应为测试列表或 file:// 引用</translation>
    </message>
    <message>
        <source>a test must be a mapping (vars, assert, ...)</source>
        <translation>测试必须是映射（vars、assert 等）</translation>
    </message>
    <message>
        <source>vars from scripts (%1) cannot be imported</source>
        <translation>无法导入来自脚本的 vars（%1）</translation>
    </message>
    <message>
        <source>expected a list of assertions</source>
        <translation>应为断言列表</translation>
    </message>
    <message>
        <source>expected a mapping with a &quot;type&quot;</source>
        <translation>应为包含 &quot;type&quot; 的映射</translation>
    </message>
    <message>
        <source>a type is required</source>
        <translation>需要指定 type</translation>
    </message>
    <message>
        <source>assert-set groups are kept as one check that Slopscope cannot grade</source>
        <translation>assert-set 组被保留为一项 Slopscope 无法评分的检查</translation>
    </message>
    <message>
        <source>expected a number of at least 0</source>
        <translation>应为不小于 0 的数字</translation>
    </message>
    <message>
        <source>assertion &quot;%1&quot; settings are not imported</source>
        <translation>不导入断言 &quot;%1&quot; 的设置</translation>
    </message>
    <message>
        <source>assertion type &quot;%1&quot; is kept but cannot be graded (unknown grader)</source>
        <translation>断言类型 &quot;%1&quot; 被保留，但无法评分（未知评分器）</translation>
    </message>
    <message>
        <source>test option &quot;%1&quot; is not imported</source>
        <translation>不导入测试选项 &quot;%1&quot;</translation>
    </message>
    <message>
        <source>expected a file with one test mapping</source>
        <translation>应为包含一个测试映射的文件</translation>
    </message>
    <message>
        <source>expected a mapping (vars, assert, options)</source>
        <translation>应为映射（vars、assert、options）</translation>
    </message>
    <message>
        <source>the test key &quot;%1&quot; is not imported</source>
        <translation>不导入测试键 &quot;%1&quot;</translation>
    </message>
    <message>
        <source>per-test &quot;%1&quot; filters are not imported: every test runs on every target and prompt</source>
        <translation>不导入按测试设置的 &quot;%1&quot; 过滤器：每个测试都会在每个目标和提示词上运行</translation>
    </message>
    <message>
        <source>fixed providerOutput values are not imported</source>
        <translation>不导入固定的 providerOutput 值</translation>
    </message>
    <message>
        <source>expected a mapping of names and values</source>
        <translation>应为名称与值的映射</translation>
    </message>
    <message>
        <source>an empty list gives no case</source>
        <translation>空列表不会产生用例</translation>
    </message>
    <message>
        <source>the lists in vars expand to more than %1 cases</source>
        <translation>vars 中的列表展开后超过 %1 个用例</translation>
    </message>
    <message>
        <source>an assertion uses {{%1}}, which this test does not define</source>
        <translation>某个断言使用了 {{%1}}，但此测试未定义它</translation>
    </message>
    <message>
        <source>the prompt &quot;%1&quot; uses {{%2}}, which this test does not define</source>
        <translation>提示词 &quot;%1&quot; 使用了 {{%2}}，但此测试未定义它</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>无法打开 %1：%2</translation>
    </message>
    <message>
        <source>%1: the file is too large (the limit is %2 MiB)</source>
        <translation>%1：文件过大（上限为 %2 MiB）</translation>
    </message>
    <message>
        <source>%1 is outside the configuration&apos;s folder %2; included files must be inside it</source>
        <translation>%1 在配置文件夹 %2 之外；包含的文件必须位于该文件夹内</translation>
    </message>
</context>
<context>
    <name>ReportChart</name>
    <message>
        <source>Price and quality</source>
        <translation>价格与质量</translation>
    </message>
    <message>
        <source>Cost per 1,000 cases (USD, log scale)</source>
        <translation>每 1,000 个用例的成本（USD，对数刻度）</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>质量</translation>
    </message>
    <message>
        <source>cheaper and better</source>
        <translation>更便宜且更好</translation>
    </message>
    <message>
        <source>pricier and better</source>
        <translation>更贵且更好</translation>
    </message>
    <message>
        <source>cheaper and worse</source>
        <translation>更便宜且更差</translation>
    </message>
    <message>
        <source>pricier and worse</source>
        <translation>更贵且更差</translation>
    </message>
    <message>
        <source>No target has both a quality and a known cost yet.</source>
        <translation>尚无同时具有质量和已知成本的目标。</translation>
    </message>
    <message>
        <source>Not drawn (no quality or unknown cost): %1</source>
        <translation>未绘制（无质量或成本未知）：%1</translation>
    </message>
    <message>
        <source>● target   ◉ on the Pareto frontier   │ 95% quality interval</source>
        <translation>● 目标   ◉ 位于帕累托前沿   │ 95% 质量区间</translation>
    </message>
    <message>
        <source>Drawing a chart needs the graphical application (a QGuiApplication).</source>
        <translation>绘制图表需要图形界面应用程序（QGuiApplication）。</translation>
    </message>
    <message>
        <source>The chart could not be encoded as PNG.</source>
        <translation>无法将图表编码为 PNG。</translation>
    </message>
    <message>
        <source>The PDF writer could not start.</source>
        <translation>PDF 写入器无法启动。</translation>
    </message>
</context>
<context>
    <name>ReportExport</name>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>%1: cannot write: %2</source>
        <translation>%1：无法写入：%2</translation>
    </message>
    <message>
        <source>%1: a report is .html, .pdf or .md</source>
        <translation>%1：报告须为 .html、.pdf 或 .md</translation>
    </message>
    <message>
        <source>%1: a chart is .png, .svg or .pdf</source>
        <translation>%1：图表须为 .png、.svg 或 .pdf</translation>
    </message>
</context>
<context>
    <name>ReportText</name>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Untitled suite</source>
        <translation>未命名测试集</translation>
    </message>
    <message>
        <source>%1: run report</source>
        <translation>%1：运行报告</translation>
    </message>
    <message>
        <source>%1: run %2</source>
        <translation>%1：运行 %2</translation>
    </message>
    <message>
        <source>Quality is the canonical wording&apos;s mean score over cases with its 95% bootstrap interval. ★ marks targets on the price/quality Pareto frontier. Unknown figures are shown as unknown, never as 0.</source>
        <translation>质量是标准措辞在各用例上的平均得分及其 95% 自助法置信区间。★ 标记位于价格/质量帕累托前沿上的目标。未知数值显示为“未知”，绝不显示为 0。</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>质量</translation>
    </message>
    <message>
        <source>Each case&apos;s score (0–1, the weighted mean of its assertions) is averaged over its repeats; quality is the mean over cases of the canonical wording. A request that failed scores 0. The interval is a 95% percentile bootstrap over cases.</source>
        <translation>每个用例的得分（0–1，即其各断言的加权平均值）在其各次重复上取平均；质量是标准措辞下各用例得分的平均值。失败的请求计 0 分。区间为基于用例的 95% 百分位自助法区间。</translation>
    </message>
    <message>
        <source>Brittleness</source>
        <translation>脆弱性</translation>
    </message>
    <message>
        <source>Canonical quality minus reworded quality, over the cases run in both forms, with a paired 95% bootstrap interval. Positive: the target does worse when the same question is asked differently.</source>
        <translation>标准措辞质量减去改写措辞质量，基于以两种形式运行的用例，附配对 95% 自助法区间。为正值表示：同一问题换一种问法时，该目标表现更差。</translation>
    </message>
    <message>
        <source>TTFT</source>
        <translation>TTFT</translation>
    </message>
    <message>
        <source>Time to first token: from sending the answering attempt to the first content of any kind (reasoning included).</source>
        <translation>首个 token 时间：从发送作答请求到收到任何类型的首个内容（包括推理内容）。</translation>
    </message>
    <message>
        <source>TTFAT</source>
        <translation>TTFAT</translation>
    </message>
    <message>
        <source>Time to first answer token: to the first content that is not reasoning.</source>
        <translation>首个回答 token 时间：到收到首个非推理内容为止。</translation>
    </message>
    <message>
        <source>Decode tok/s</source>
        <translation>解码 tok/s</translation>
    </message>
    <message>
        <source>Output tokens after the first chunk divided by the time from the first to the last content chunk. Needs two content chunks; estimated from characters (4 per token) when the provider reported no usage.</source>
        <translation>首个数据块之后的输出 token 数除以从首个到最后一个内容块的时间。需要至少两个内容块；若提供商未报告用量，则按字符数估算（每 4 个字符计 1 个 token）。</translation>
    </message>
    <message>
        <source>ITL</source>
        <translation>ITL</translation>
    </message>
    <message>
        <source>Inter-token latency: (end-to-end − TTFT) ÷ (streamed tokens − 1).</source>
        <translation>token 间延迟：（端到端 − TTFT）÷（流式 token 数 − 1）。</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>延迟</translation>
    </message>
    <message>
        <source>End to end: from sending the answering attempt to the end of the response. p50 and p95 are nearest-rank percentiles (the ⌈q·n⌉-th smallest).</source>
        <translation>端到端：从发送作答请求到响应结束。p50 和 p95 为最近秩百分位数（第 ⌈q·n⌉ 小的值）。</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>成本</translation>
    </message>
    <message>
        <source>From reported token usage, split into disjoint buckets: uncached input, cached input (cache reads), cache writes, output, and reasoning when it has its own price. Unknown when usage or a needed price is missing; a total is shown only when every cost is known.</source>
        <translation>根据报告的 token 用量计算，分为互不重叠的几部分：未缓存输入、缓存输入（缓存读取）、缓存写入、输出，以及单独计价时的推理。缺少用量或所需价格时为未知；仅当所有成本均已知时才显示总计。</translation>
    </message>
    <message>
        <source>Cost per 1k cases</source>
        <translation>每 1k 用例成本</translation>
    </message>
    <message>
        <source>The mean cost of a case (all its repeats and wordings) × 1,000, over cases whose cost is known; unknown if any case&apos;s cost is.</source>
        <translation>单个用例（含其所有重复和措辞）的平均成本 × 1,000，基于成本已知的用例；只要有任何用例的成本未知，即为未知。</translation>
    </message>
    <message>
        <source>Error rate</source>
        <translation>错误率</translation>
    </message>
    <message>
        <source>Share of requests that did not end with a complete answer (errors and truncated answers); cancelled requests are left out.</source>
        <translation>未以完整回答结束的请求所占比例（错误和被截断的回答）；已取消的请求不计入。</translation>
    </message>
    <message>
        <source>Pareto frontier</source>
        <translation>帕累托前沿</translation>
    </message>
    <message>
        <source>Targets that no other target beats on both cost per 1k cases and quality.</source>
        <translation>在每 1k 用例成本和质量两方面都没有被其他目标同时超越的目标。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Suite</source>
        <translation>测试集</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>结束时间</translation>
    </message>
    <message>
        <source>Repeats</source>
        <translation>重复次数</translation>
    </message>
    <message>
        <source>Rewordings</source>
        <translation>改写</translation>
    </message>
    <message>
        <source>run</source>
        <translation>已运行</translation>
    </message>
    <message>
        <source>not run</source>
        <translation>未运行</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>顺序</translation>
    </message>
    <message>
        <source>one provider at a time</source>
        <translation>逐个提供商依次进行</translation>
    </message>
    <message>
        <source>all providers at once, interleaved</source>
        <translation>所有提供商同时交错进行</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>Concurrency</source>
        <translation>并发数</translation>
    </message>
    <message>
        <source>%1 overall; per provider %2</source>
        <translation>总计 %1；每个提供商 %2</translation>
    </message>
    <message>
        <source>Spend cap</source>
        <translation>花费上限</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Stopped early</source>
        <translation>提前停止</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>App version</source>
        <translation>应用版本</translation>
    </message>
    <message>
        <source>Price catalogue</source>
        <translation>价格目录</translation>
    </message>
    <message>
        <source>none (workspace prices only)</source>
        <translation>无（仅使用工作区价格）</translation>
    </message>
    <message>
        <source>%1, commit %2</source>
        <translation>%1，提交 %2</translation>
    </message>
    <message>
        <source>Catalogue date</source>
        <translation>目录日期</translation>
    </message>
    <message>
        <source>simulated; workspace price</source>
        <translation>模拟；工作区价格</translation>
    </message>
    <message>
        <source>workspace price (not in the catalogue)</source>
        <translation>工作区价格（不在目录中）</translation>
    </message>
    <message>
        <source>catalogue entry %1</source>
        <translation>目录条目 %1</translation>
    </message>
    <message>
        <source>input %1, output %2 per million tokens</source>
        <translation>每百万 token：输入 %1，输出 %2</translation>
    </message>
    <message>
        <source>%1: %2 = %3 (catalogue: %4)</source>
        <translation>%1：%2 = %3（目录：%4）</translation>
    </message>
    <message>
        <source>no price</source>
        <translation>无价格</translation>
    </message>
    <message>
        <source>Judge–human agreement</source>
        <translation>评审与人工一致性</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Judge</source>
        <translation>评审</translation>
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
        <translation>所有评审</translation>
    </message>
    <message>
        <source>How often the judges&apos; pass/fail matched people&apos;s ratings (4 or 5 stars count as a pass), over the n answers both graded; κ is Cohen&apos;s kappa: 1 is perfect agreement, 0 what chance would give.</source>
        <translation>评审的通过/未通过与人工评分（4 或 5 星算通过）相符的频率，统计范围为双方都评过的 n 个回答；κ 为 Cohen&apos;s κ：1 表示完全一致，0 表示与随机相当。</translation>
    </message>
</context>
<context>
    <name>RequestBuilder</name>
    <message>
        <source>Unknown reasoning effort &quot;%1&quot; (expected low, medium or high)</source>
        <translation>未知的推理强度 &quot;%1&quot;（应为 low、medium 或 high）</translation>
    </message>
    <message>
        <source>Reasoning effort &quot;%1&quot; needs a thinking budget of %2 tokens, but max_tokens is %3; raise max_tokens above %2</source>
        <translation>推理强度 &quot;%1&quot; 需要 %2 个 token 的思考预算，但 max_tokens 为 %3；请将 max_tokens 提高到 %2 以上</translation>
    </message>
    <message>
        <source>Provider %1 uses the embedded simulator, which is not running</source>
        <translation>提供商 %1 使用内置模拟器，但模拟器未运行</translation>
    </message>
    <message>
        <source>Provider %1: &quot;%2&quot; is not an http(s) URL</source>
        <translation>提供商 %1：&quot;%2&quot; 不是 http(s) URL</translation>
    </message>
    <message>
        <source>Provider %1: the base URL must not carry credentials, a query or a fragment; keys belong in the keychain or an environment variable</source>
        <translation>提供商 %1：基础 URL 不得包含凭据、查询字符串或片段；密钥应存放在密钥链或环境变量中</translation>
    </message>
    <message>
        <source>Target %1 names no model</source>
        <translation>目标 %1 未指定模型</translation>
    </message>
    <message>
        <source>No API key for provider %1: set %2 in the environment or store it with &quot;slopscope-cli keys set %2&quot;</source>
        <translation>提供商 %1 没有 API 密钥：请在环境变量中设置 %2，或使用 &quot;slopscope-cli keys set %2&quot; 存储该密钥</translation>
    </message>
    <message>
        <source>Provider %1: %2</source>
        <translation>提供商 %1：%2</translation>
    </message>
    <message>
        <source>Provider %1: the header %2 needs the secret %3: set %3 in the environment or store it with &quot;slopscope-cli keys set %3&quot;</source>
        <translation>提供商 %1：标头 %2 需要密钥 %3：请在环境中设置 %3，或使用 &quot;slopscope-cli keys set %3&quot; 保存</translation>
    </message>
    <message>
        <source>the API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>the secret header %1</source>
        <translation>机密标头 %1</translation>
    </message>
    <message>
        <source>Refusing to send %1 of provider %2 over plain HTTP to %3; use https, or mark the provider &quot;allow_insecure_key&quot; if this network is trusted</source>
        <translation>拒绝通过明文 HTTP 将提供商 %2 的 %1 发送到 %3；请使用 https，或在此网络可信时将该提供商标记为 &quot;allow_insecure_key&quot;</translation>
    </message>
    <message>
        <source>Anthropic&apos;s extended thinking allows only tool_choice &quot;auto&quot; or &quot;none&quot;; drop reasoning effort &quot;%1&quot; or the forced tool choice</source>
        <translation>Anthropic 的扩展思考仅允许 tool_choice 为 &quot;auto&quot; 或 &quot;none&quot;；请去掉推理强度 &quot;%1&quot; 或强制的工具选择</translation>
    </message>
</context>
<context>
    <name>RetryPolicy</name>
    <message>
        <source>quota or spend limit reached; not retried</source>
        <translation>已达到配额或支出限制；不再重试</translation>
    </message>
    <message>
        <source>the provider asks to retry after %1; not waiting that long</source>
        <translation>提供商要求在 %1 后重试；不等待这么久</translation>
    </message>
</context>
<context>
    <name>RoutingFetch</name>
    <message>
        <source>The workspace has no usable target &quot;%1&quot; to ask.</source>
        <translation>工作区没有可用于询问的目标“%1”。</translation>
    </message>
</context>
<context>
    <name>RoutingPolicy</name>
    <message>
        <source>%1: expected an object</source>
        <translation>%1：应为对象</translation>
    </message>
    <message>
        <source>%1: unknown kind &quot;%2&quot; (expected cascade, by-tag or best-of-n)</source>
        <translation>%1：未知类型 &quot;%2&quot;（应为 cascade、by-tag 或 best-of-n）</translation>
    </message>
    <message>
        <source>%1: not used by a %2 policy</source>
        <translation>%1：%2 策略不使用此项</translation>
    </message>
    <message>
        <source>%1[%2]: expected a target id</source>
        <translation>%1[%2]：应为目标 id</translation>
    </message>
    <message>
        <source>%1: a policy needs a name</source>
        <translation>%1：策略需要名称</translation>
    </message>
    <message>
        <source>%1: a cascade needs at least one stage</source>
        <translation>%1：级联至少需要一个阶段</translation>
    </message>
    <message>
        <source>%1.target: empty target id</source>
        <translation>%1.target：目标 id 为空</translation>
    </message>
    <message>
        <source>%1.validator: the last stage has nothing to escalate to</source>
        <translation>%1.validator：最后一个阶段没有可升级到的阶段</translation>
    </message>
    <message>
        <source>%1.validator: missing (a target id or &quot;%2&quot; is required before another stage)</source>
        <translation>%1.validator：缺失（在下一阶段之前需要目标 id 或 &quot;%2&quot;）</translation>
    </message>
    <message>
        <source>%1.threshold: must be between 0 and 1</source>
        <translation>%1.threshold：必须介于 0 和 1 之间</translation>
    </message>
    <message>
        <source>%1: empty target id</source>
        <translation>%1：目标 id 为空</translation>
    </message>
    <message>
        <source>%1.tag: empty tag</source>
        <translation>%1.tag：标签为空</translation>
    </message>
    <message>
        <source>%1.tag: tag &quot;%2&quot; already has a rule</source>
        <translation>%1.tag：标签 &quot;%2&quot; 已有规则</translation>
    </message>
    <message>
        <source>%1: best-of-n needs at least two candidates</source>
        <translation>%1：best-of-n 至少需要两个候选</translation>
    </message>
    <message>
        <source>%1[%2]: empty target id</source>
        <translation>%1[%2]：目标 id 为空</translation>
    </message>
    <message>
        <source>%1[%2]: &quot;%3&quot; is already a candidate</source>
        <translation>%1[%2]：&quot;%3&quot; 已是候选</translation>
    </message>
    <message>
        <source>%1: a routing policy file must be a JSON object</source>
        <translation>%1：路由策略文件必须是 JSON 对象</translation>
    </message>
    <message>
        <source>version: %1 is newer than this Slopscope reads (%2)</source>
        <translation>version：%1 比此版本 Slopscope 可读取的版本（%2）更新</translation>
    </message>
    <message>
        <source>%1.name: duplicate policy name &quot;%2&quot;</source>
        <translation>%1.name：重复的策略名称 &quot;%2&quot;</translation>
    </message>
    <message>
        <source>Cannot open routing policies %1: %2</source>
        <translation>无法打开路由策略 %1：%2</translation>
    </message>
    <message>
        <source>%1: larger than %2 bytes, not a policy file</source>
        <translation>%1：大于 %2 字节，不是策略文件</translation>
    </message>
    <message>
        <source>Cannot write routing policies %1: %2</source>
        <translation>无法写入路由策略 %1：%2</translation>
    </message>
</context>
<context>
    <name>RunCommand</name>
    <message>
        <source>History database: %1. Stopping the run.</source>
        <translation>历史数据库：%1。正在停止运行。</translation>
    </message>
    <message>
        <source>Running %1: %2 request(s), run %3…</source>
        <translation>正在运行 %1：%2 个请求，运行 %3…</translation>
    </message>
    <message>
        <source>target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>quality</source>
        <translation>质量</translation>
    </message>
    <message>
        <source>95% interval</source>
        <translation>95% 区间</translation>
    </message>
    <message>
        <source>$/1k cases</source>
        <translation>$/1k 用例</translation>
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
        <translation>已花费 $%1；%3 个请求中有 %2 个失败%4</translation>
    </message>
    <message>
        <source>Recorded as run %1 in %2.</source>
        <translation>已记录为 %2 中的运行 %1。</translation>
    </message>
    <message>
        <source>Interrupted: the run did not complete.</source>
        <translation>已中断：运行未完成。</translation>
    </message>
    <message>
        <source>No request was answered: the run could not complete.</source>
        <translation>没有任何请求得到回答：运行无法完成。</translation>
    </message>
    <message>
        <source>Gate failed: the spend cap of $%1 was reached before the run finished.</source>
        <translation>门槛未通过：运行结束前已达到 $%1 的支出上限。</translation>
    </message>
    <message>
        <source>Gate failed: %1</source>
        <translation>门槛未通过：%1</translation>
    </message>
    <message>
        <source>Run a suite against targets and print one line per target.</source>
        <translation>针对各目标运行测试集，每个目标输出一行。</translation>
    </message>
    <message>
        <source>Use the bundled demo workspace and the simulator.</source>
        <translation>使用内置的演示工作区和模拟器。</translation>
    </message>
    <message>
        <source>Suite file or demo suite name.</source>
        <translation>测试集文件或演示测试集名称。</translation>
    </message>
    <message>
        <source>suite</source>
        <translation>测试集</translation>
    </message>
    <message>
        <source>Workspace file.</source>
        <translation>工作区文件。</translation>
    </message>
    <message>
        <source>file</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Comma-separated target ids.</source>
        <translation>以逗号分隔的目标 id。</translation>
    </message>
    <message>
        <source>ids</source>
        <translation>id 列表</translation>
    </message>
    <message>
        <source>Samples per case.</source>
        <translation>每个用例的采样次数。</translation>
    </message>
    <message>
        <source>k</source>
        <translation>k</translation>
    </message>
    <message>
        <source>Requests in flight at once, over all providers.</source>
        <translation>所有提供商合计同时进行的请求数。</translation>
    </message>
    <message>
        <source>Also run each case&apos;s rewordings.</source>
        <translation>同时运行每个用例的改写。</translation>
    </message>
    <message>
        <source>Measure providers one after another (clean speed figures).</source>
        <translation>逐个测量提供商（得到干净的速度数据）。</translation>
    </message>
    <message>
        <source>Seed of the dispatch order and statistics.</source>
        <translation>派发顺序和统计所用的种子。</translation>
    </message>
    <message>
        <source>s</source>
        <translation>s</translation>
    </message>
    <message>
        <source>Stop dispatching once the run has spent this many US dollars (exit 1).</source>
        <translation>运行花费达到此美元金额后停止派发（退出码 1）。</translation>
    </message>
    <message>
        <source>usd</source>
        <translation>美元</translation>
    </message>
    <message>
        <source>Exit 1 when a target&apos;s figure is under a minimum: quality=0.8, quality_ci_low=0.7, TARGET:quality=80%. May be repeated.</source>
        <translation>当某个目标的指标低于最小值时以退出码 1 退出：quality=0.8、quality_ci_low=0.7、TARGET:quality=80%。可重复指定。</translation>
    </message>
    <message>
        <source>gate</source>
        <translation>门槛</translation>
    </message>
    <message>
        <source>Run only slice I of N of the cases (stable by case id), e.g. 2/4.</source>
        <translation>仅运行用例的第 I 个分片（共 N 个，按用例 id 稳定划分），例如 2/4。</translation>
    </message>
    <message>
        <source>i/n</source>
        <translation>i/n</translation>
    </message>
    <message>
        <source>Target that grades llm-rubric, factuality and select-best assertions.</source>
        <translation>为 llm-rubric、factuality 和 select-best 断言评分的目标。</translation>
    </message>
    <message>
        <source>Unexpected argument &quot;%1&quot;.</source>
        <translation>意外的参数 &quot;%1&quot;。</translation>
    </message>
    <message>
        <source>Give either --demo or --workspace FILE.</source>
        <translation>请指定 --demo 或 --workspace FILE 之一。</translation>
    </message>
    <message>
        <source>--repeat takes a whole number of at least 1.</source>
        <translation>--repeat 需要不小于 1 的整数。</translation>
    </message>
    <message>
        <source>--concurrency takes a whole number from 1 to 4096.</source>
        <translation>--concurrency 需要 1 到 4096 之间的整数。</translation>
    </message>
    <message>
        <source>--seed takes a whole number.</source>
        <translation>--seed 需要整数。</translation>
    </message>
    <message>
        <source>--max-cost takes a positive number of US dollars, e.g. 0.50.</source>
        <translation>--max-cost 需要一个正数（美元），例如 0.50。</translation>
    </message>
    <message>
        <source>Shard %1/%2 holds none of the suite&apos;s %3 case(s); nothing to run.</source>
        <translation>测试集共有 %3 个用例，但分片 %1/%2 中一个也没有；没有可运行的内容。</translation>
    </message>
    <message>
        <source>--judge %1: the workspace has no such target.</source>
        <translation>--judge %1：工作区中没有该目标。</translation>
    </message>
    <message>
        <source>No suite &quot;%1&quot;: give a file, or one of the demo suites facts, code, benchmark, tools, chains.</source>
        <translation>没有测试集“%1”：请指定文件，或使用演示测试集 facts、code、benchmark、tools、chains 之一。</translation>
    </message>
    <message>
        <source>Send again an answer that broke off mid-stream; the new answer replaces it (costs tokens twice).</source>
        <translation>重新发送中途断开的回答；新回答将替换它（消耗两次令牌）。</translation>
    </message>
    <message>
        <source>Do not open the first requests&apos; connections before sending them (their TTFT then includes connection set-up, as a cold client&apos;s would).</source>
        <translation>发送首批请求前不预先建立连接（其 TTFT 因此包含连接建立时间，与冷启动客户端一致）。</translation>
    </message>
</context>
<context>
    <name>RunGate</name>
    <message>
        <source>--shard &quot;%1&quot;: expected I/N with 1 ≤ I ≤ N, e.g. 2/4.</source>
        <translation>--shard &quot;%1&quot;：应为 I/N 且 1 ≤ I ≤ N，例如 2/4。</translation>
    </message>
    <message>
        <source>--fail-under &quot;%1&quot;: expected FIGURE=VALUE, e.g. quality=0.8.</source>
        <translation>--fail-under &quot;%1&quot;：应为 FIGURE=VALUE 格式，例如 quality=0.8。</translation>
    </message>
    <message>
        <source>--fail-under &quot;%1&quot;: the target before &apos;:&apos; is empty.</source>
        <translation>--fail-under &quot;%1&quot;：&apos;:&apos; 之前的目标为空。</translation>
    </message>
    <message>
        <source>--fail-under &quot;%1&quot;: unknown figure &quot;%2&quot; (use quality or quality_ci_low).</source>
        <translation>--fail-under &quot;%1&quot;：未知指标 &quot;%2&quot;（请使用 quality 或 quality_ci_low）。</translation>
    </message>
    <message>
        <source>--fail-under &quot;%1&quot;: &quot;%2&quot; is not a number.</source>
        <translation>--fail-under &quot;%1&quot;：&quot;%2&quot; 不是数字。</translation>
    </message>
    <message>
        <source>--fail-under &quot;%1&quot;: the minimum must lie between 0 and 1 (or 0% and 100%).</source>
        <translation>--fail-under &quot;%1&quot;：最小值必须介于 0 和 1 之间（或 0% 和 100% 之间）。</translation>
    </message>
    <message>
        <source>%1: no %2 to check (no graded case)</source>
        <translation>%1：没有可检查的 %2（没有已评分的用例）</translation>
    </message>
    <message>
        <source>%1: %2 %3 is under %4</source>
        <translation>%1：%2 %3 低于 %4</translation>
    </message>
    <message>
        <source>%1: no such target in this run</source>
        <translation>%1：此运行中没有该目标</translation>
    </message>
    <message>
        <source>(any)</source>
        <translation>（任意）</translation>
    </message>
</context>
<context>
    <name>RunOutputs</name>
    <message>
        <source>History database (default: the one the app uses).</source>
        <translation>历史数据库（默认：应用所用的数据库）。</translation>
    </message>
    <message>
        <source>file</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Do not record the run in any database.</source>
        <translation>不在任何数据库中记录此运行。</translation>
    </message>
    <message>
        <source>Write one JSON line per result as it is recorded.</source>
        <translation>每记录一个结果就写入一行 JSON。</translation>
    </message>
    <message>
        <source>Write the per-target summary (JSON).</source>
        <translation>写入每个目标的摘要（JSON）。</translation>
    </message>
    <message>
        <source>file.json</source>
        <translation>文件.json</translation>
    </message>
    <message>
        <source>Write a report: .html, .pdf or .md. May be repeated.</source>
        <translation>写入报告：.html、.pdf 或 .md。可重复指定。</translation>
    </message>
    <message>
        <source>Write the price/quality chart: .png, .svg or .pdf. May be repeated.</source>
        <translation>写入价格/质量图表：.png、.svg 或 .pdf。可重复指定。</translation>
    </message>
    <message>
        <source>Write one CSV row per result.</source>
        <translation>每个结果写入一行 CSV。</translation>
    </message>
    <message>
        <source>Give --db FILE or --no-db, not both.</source>
        <translation>请指定 --db FILE 或 --no-db，不能同时指定。</translation>
    </message>
    <message>
        <source>--report %1: the file must end in .html, .pdf or .md.</source>
        <translation>--report %1：文件必须以 .html、.pdf 或 .md 结尾。</translation>
    </message>
    <message>
        <source>--chart %1: the file must end in .png, .svg or .pdf.</source>
        <translation>--chart %1：文件必须以 .png、.svg 或 .pdf 结尾。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>%1 result(s) could not be saved to %2; they are left out of %3.</source>
        <translation>%1 个结果无法保存到 %2；已从 %3 中排除。</translation>
    </message>
</context>
<context>
    <name>RunSnapshot</name>
    <message>
        <source>Run %1: its %2 snapshot cannot be read back.</source>
        <translation>运行 %1：无法读回其 %2 快照。</translation>
    </message>
    <message>
        <source>The run used provider &quot;%1&quot;, which the workspace lacks.</source>
        <translation>该运行使用了提供商 &quot;%1&quot;，但工作区中没有该提供商。</translation>
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
        <translation>无法更新 %1 的搜索索引：%2</translation>
    </message>
</context>
<context>
    <name>SimAnswerKey</name>
    <message>
        <source>%1: a suite must be an object with &quot;name&quot; and &quot;cases&quot;</source>
        <translation>%1：测试集必须是包含 &quot;name&quot; 和 &quot;cases&quot; 的对象</translation>
    </message>
    <message>
        <source>%1: %2: expected an object</source>
        <translation>%1：%2：应为对象</translation>
    </message>
    <message>
        <source>%1: no prompt and no user message</source>
        <translation>%1：没有提示词，也没有用户消息</translation>
    </message>
    <message>
        <source>%1: the suite has no cases</source>
        <translation>%1：测试集中没有用例</translation>
    </message>
    <message>
        <source>%1: cannot open: %2</source>
        <translation>%1：无法打开：%2</translation>
    </message>
</context>
<context>
    <name>SimFault</name>
    <message>
        <source>unknown fault &quot;%1&quot;</source>
        <translation>未知故障 &quot;%1&quot;</translation>
    </message>
    <message>
        <source>fault parameter &quot;%1&quot; is not of the form name=value</source>
        <translation>故障参数 &quot;%1&quot; 不符合 name=value 格式</translation>
    </message>
    <message>
        <source>fault parameter &quot;%1&quot; needs a non-negative number</source>
        <translation>故障参数 &quot;%1&quot; 需要非负数</translation>
    </message>
    <message>
        <source>unknown fault parameter &quot;%1&quot;</source>
        <translation>未知故障参数 &quot;%1&quot;</translation>
    </message>
    <message>
        <source>server_error status must be 500, 502 or 503</source>
        <translation>server_error 状态码必须为 500、502 或 503</translation>
    </message>
    <message>
        <source>redirect status must be 301, 302, 307 or 308</source>
        <translation>redirect 状态码必须为 301、302、307 或 308</translation>
    </message>
    <message>
        <source>port must be at most 65535</source>
        <translation>端口不得大于 65535</translation>
    </message>
</context>
<context>
    <name>SimLog</name>
    <message>
        <source>%1: cannot write the log: %2</source>
        <translation>%1：无法写入日志：%2</translation>
    </message>
</context>
<context>
    <name>SimPersonas</name>
    <message>
        <source>%1: expected an object</source>
        <translation>%1：应为对象</translation>
    </message>
    <message>
        <source>%1: probabilities must be between 0 and 1</source>
        <translation>%1：概率必须介于 0 和 1 之间</translation>
    </message>
    <message>
        <source>%1: unknown dialect &quot;%2&quot;</source>
        <translation>%1：未知方言 &quot;%2&quot;</translation>
    </message>
    <message>
        <source>%1: expected dialect names</source>
        <translation>%1：应为方言名称</translation>
    </message>
    <message>
        <source>%1: median must be 0 to 600000 ms and spread 0 to 3</source>
        <translation>%1：median 必须为 0 到 600000 ms，spread 必须为 0 到 3</translation>
    </message>
    <message>
        <source>%1: must be between 0.1 and 1000000</source>
        <translation>%1：必须介于 0.1 和 1000000 之间</translation>
    </message>
    <message>
        <source>%1: spread must be between 0 and 3</source>
        <translation>%1：spread 必须介于 0 和 3 之间</translation>
    </message>
    <message>
        <source>%1: a price cannot be negative</source>
        <translation>%1：价格不能为负数</translation>
    </message>
    <message>
        <source>%1.categories: expected an object</source>
        <translation>%1.categories：应为对象</translation>
    </message>
    <message>
        <source>%1: probability must be between 0 and 1</source>
        <translation>%1：概率必须介于 0 和 1 之间</translation>
    </message>
    <message>
        <source>%1: expected an object with a &quot;personas&quot; array</source>
        <translation>%1：应为包含 &quot;personas&quot; 数组的对象</translation>
    </message>
    <message>
        <source>%1: %2: duplicate persona id &quot;%3&quot;</source>
        <translation>%1：%2：重复的角色 id &quot;%3&quot;</translation>
    </message>
    <message>
        <source>%1: the &quot;personas&quot; array is empty</source>
        <translation>%1：&quot;personas&quot; 数组为空</translation>
    </message>
    <message>
        <source>%1: cannot open: %2</source>
        <translation>%1：无法打开：%2</translation>
    </message>
</context>
<context>
    <name>Slopscope::AddTargetDialog</name>
    <message>
        <source>Add Target</source>
        <translation>添加目标</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>choose or type a model</source>
        <translation>选择或输入模型</translation>
    </message>
    <message>
        <source>Target id</source>
        <translation>目标 id</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>颜色</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Input price per million tokens</source>
        <translation>每百万 token 的输入价格</translation>
    </message>
    <message>
        <source>Output price per million tokens</source>
        <translation>每百万 token 的输出价格</translation>
    </message>
    <message>
        <source>provider default</source>
        <translation>提供商默认值</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>Maximum output tokens</source>
        <translation>最大输出 token 数</translation>
    </message>
    <message>
        <source>Reasoning effort</source>
        <translation>推理强度</translation>
    </message>
    <message>
        <source>&amp;Source:</source>
        <translation>来源(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;Model:</source>
        <translation>模型(&amp;M)：</translation>
    </message>
    <message>
        <source>Target i&amp;d:</source>
        <translation>目标 id(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Label:</source>
        <translation>标签(&amp;L)：</translation>
    </message>
    <message>
        <source>&amp;Colour:</source>
        <translation>颜色(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Input $/Mtok:</source>
        <translation>输入 $/Mtok(&amp;I)：</translation>
    </message>
    <message>
        <source>&amp;Output $/Mtok:</source>
        <translation>输出 $/Mtok(&amp;O)：</translation>
    </message>
    <message>
        <source>&amp;Temperature:</source>
        <translation>温度(&amp;T):</translation>
    </message>
    <message>
        <source>Max to&amp;kens:</source>
        <translation>最大 token 数(&amp;K)：</translation>
    </message>
    <message>
        <source>&amp;Reasoning effort:</source>
        <translation>推理强度(&amp;R):</translation>
    </message>
    <message>
        <source>%1 (in this workspace)</source>
        <translation>%1（此工作区中）</translation>
    </message>
    <message>
        <source>%1 (preset, %2)</source>
        <translation>%1（预设，%2）</translation>
    </message>
    <message>
        <source>%1 (preset)</source>
        <translation>%1（预设）</translation>
    </message>
    <message>
        <source>Looking for local servers…</source>
        <translation>正在查找本地服务器…</translation>
    </message>
    <message numerus="yes">
        <source>%1 at %2 (found, %n model(s))</source>
        <translation>
            <numerusform>%2 上的 %1（已发现，%n 个模型）</numerusform>
        </translation>
    </message>
    <message>
        <source>No local server answered on its default port.</source>
        <translation>没有本地服务器在其默认端口上响应。</translation>
    </message>
    <message numerus="yes">
        <source>Found %n local server(s).</source>
        <translation>
            <numerusform>找到 %n 个本地服务器。</numerusform>
        </translation>
    </message>
    <message>
        <source>Leave a price empty when it is unknown.</source>
        <translation>价格未知时请留空。</translation>
    </message>
    <message>
        <source>No price catalogue: leave a price empty when it is unknown.</source>
        <translation>没有价格目录：价格未知时请留空。</translation>
    </message>
    <message>
        <source>“%1” is not in the price catalogue of %2: leave the prices empty for unknown, or enter them.</source>
        <translation>“%1”不在 %2 版价格目录中：价格未知时请留空，或手动输入。</translation>
    </message>
    <message>
        <source>From the price catalogue of %1 (%2), for short prompts; edit to override.</source>
        <translation>来自 %1 版价格目录（%2），适用于短提示词；可编辑以覆盖。</translation>
    </message>
    <message>
        <source>From the price catalogue of %1 (%2); edit to override.</source>
        <translation>来自 %1 版价格目录（%2）；可编辑以覆盖。</translation>
    </message>
    <message>
        <source>Target Colour</source>
        <translation>目标颜色</translation>
    </message>
    <message>
        <source>Choose where the model runs.</source>
        <translation>请选择模型的运行位置。</translation>
    </message>
    <message>
        <source>Choose or type a model.</source>
        <translation>请选择或输入模型。</translation>
    </message>
    <message>
        <source>Give the target an id.</source>
        <translation>请为目标指定 id。</translation>
    </message>
    <message>
        <source>A target with the id “%1” already exists: choose another id.</source>
        <translation>id 为“%1”的目标已存在：请另选一个 id。</translation>
    </message>
    <message>
        <source>“%1” is not a valid %2.</source>
        <translation>“%1”不是有效的%2。</translation>
    </message>
</context>
<context>
    <name>Slopscope::AppearanceSettingsPage</name>
    <message>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>&amp;System (the desktop&apos;s style and colours)</source>
        <translation>系统（桌面的样式和颜色）(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>浅色(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>深色(&amp;D)</translation>
    </message>
    <message>
        <source>The theme changes at once and is kept for the next start.</source>
        <translation>主题会立即更改，并在下次启动时保留。</translation>
    </message>
</context>
<context>
    <name>Slopscope::ArenaDialog</name>
    <message>
        <source>Blind Arena</source>
        <translation>盲测竞技场</translation>
    </message>
    <message>
        <source>&amp;Vote</source>
        <translation>投票(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Ranking</source>
        <translation>排名(&amp;R)</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>问题</translation>
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
        <translation>备注（可选），随下一次投票保存</translation>
    </message>
    <message>
        <source>← A is better</source>
        <translation>← A 更好</translation>
    </message>
    <message>
        <source>Tie</source>
        <translation>平局</translation>
    </message>
    <message>
        <source>B is better →</source>
        <translation>B 更好 →</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>跳过</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Keys: ← or 1 for A, ↓, T or 2 for a tie, → or 3 for B, S to skip, Ctrl+Z to undo. Which target wrote which answer shows only in the Ranking.</source>
        <translation>按键：← 或 1 选 A，↓、T 或 2 选平局，→ 或 3 选 B，S 跳过，Ctrl+Z 撤销。哪个目标写了哪个回答只在“排名”中显示。</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Strength</source>
        <translation>强度</translation>
    </message>
    <message>
        <source>95% interval</source>
        <translation>95% 区间</translation>
    </message>
    <message>
        <source>Wins</source>
        <translation>胜</translation>
    </message>
    <message>
        <source>Ties</source>
        <translation>平</translation>
    </message>
    <message>
        <source>Losses</source>
        <translation>负</translation>
    </message>
    <message>
        <source>Votes</source>
        <translation>票数</translation>
    </message>
    <message numerus="yes">
        <source>Pair %1 of %2 · %n vote(s) so far</source>
        <translation>
            <numerusform>第 %1 对，共 %2 对 · 目前已投 %n 票</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Nothing to compare: the arena needs answers from at least two targets to the same case. · %n vote(s)</source>
        <translation>
            <numerusform>没有可比较的内容：竞技场需要至少两个目标对同一用例的回答。 · %n 票</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>All %1 pairs seen · %n vote(s). See the Ranking tab.</source>
        <translation>
            <numerusform>已看完全部 %1 对 · %n 票。请查看“排名”标签页。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Ranking %n vote(s)…</source>
        <translation>
            <numerusform>正在根据 %n 票计算排名…</numerusform>
        </translation>
    </message>
    <message>
        <source>No votes yet: the ranking appears once answers have been compared.</source>
        <translation>尚无投票：比较回答后将显示排名。</translation>
    </message>
    <message numerus="yes">
        <source>Bradley–Terry strengths from %n vote(s) (a tie counts half to each), with 95% bootstrap intervals. Strengths sum to 1; overlapping intervals mean the votes do not separate the targets.</source>
        <translation>
            <numerusform>基于 %n 票的 Bradley–Terry 强度（平局各计一半），附 95% bootstrap 区间。强度之和为 1；区间重叠表示投票无法区分这些目标。</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 – %2</source>
        <translation>%1 – %2</translation>
    </message>
    <message>
        <source>This session&apos;s run (not recorded)</source>
        <translation>本次会话的运行（未记录）</translation>
    </message>
    <message>
        <source>Run to vote on</source>
        <translation>要投票的运行</translation>
    </message>
    <message>
        <source>Vote on another recorded run: suite runs of two or more targets</source>
        <translation>对另一个已记录的运行投票：包含两个或更多目标的测试集运行</translation>
    </message>
    <message>
        <source>R&amp;un:</source>
        <translation>运行(&amp;U)：</translation>
    </message>
    <message>
        <source>Cannot list the recorded runs: %1</source>
        <translation>无法列出已记录的运行：%1</translation>
    </message>
    <message>
        <source>Cannot open the run: %1</source>
        <translation>无法打开该运行：%1</translation>
    </message>
    <message>
        <source>Blind Arena (votes kept until closed: this run is not recorded)</source>
        <translation>盲测竞技场（投票保留至关闭：此运行不会被记录）</translation>
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
            <numerusform>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;开始于 %2&lt;br&gt;%n 个目标：%3</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Slopscope::ArenaSession</name>
    <message>
        <source>(The prompt of case %1 is not in the run&apos;s suite.)</source>
        <translation>（用例 %1 的提示词不在该运行的测试集中。）</translation>
    </message>
</context>
<context>
    <name>Slopscope::AssertionsEditor</name>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Threshold</source>
        <translation>阈值</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Add assertion</source>
        <translation>添加断言</translation>
    </message>
    <message>
        <source>Remove assertion</source>
        <translation>移除断言</translation>
    </message>
    <message>
        <source>Assertion type</source>
        <translation>断言类型</translation>
    </message>
    <message>
        <source>value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Assertion %1 (%2): the value is not valid JSON: %3</source>
        <translation>断言 %1（%2）：值不是有效的 JSON：%3</translation>
    </message>
    <message>
        <source>Assertion %1: the threshold &quot;%2&quot; is not a number</source>
        <translation>断言 %1：阈值“%2”不是数字</translation>
    </message>
    <message>
        <source>Assertion %1: the weight &quot;%2&quot; is not a number of at least 0</source>
        <translation>断言 %1：权重“%2”不是大于等于 0 的数字</translation>
    </message>
</context>
<context>
    <name>Slopscope::CaseForm</name>
    <message>
        <source>Case id</source>
        <translation>用例 ID</translation>
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
        <translation>描述</translation>
    </message>
    <message>
        <source>D&amp;escription</source>
        <translation>描述(&amp;E)</translation>
    </message>
    <message>
        <source>description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Input kind</source>
        <translation>输入类型</translation>
    </message>
    <message>
        <source>In&amp;put</source>
        <translation>输入(&amp;P)</translation>
    </message>
    <message>
        <source>The question; {{name}} is filled from the variables.</source>
        <translation>问题；{{name}} 由变量填充。</translation>
    </message>
    <message>
        <source>messages</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Variables</source>
        <translation>变量</translation>
    </message>
    <message>
        <source>Varia&amp;bles</source>
        <translation>变量(&amp;B)</translation>
    </message>
    <message>
        <source>variables</source>
        <translation>变量</translation>
    </message>
    <message>
        <source>Reference answer</source>
        <translation>参考答案</translation>
    </message>
    <message>
        <source>&amp;Reference</source>
        <translation>参考(&amp;R)</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>comma-separated</source>
        <translation>逗号分隔</translation>
    </message>
    <message>
        <source>&amp;Tags</source>
        <translation>标签(&amp;T)</translation>
    </message>
    <message>
        <source>tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>How much the case counts in the suite&apos;s score (a number of at least 0)</source>
        <translation>该用例在测试集得分中所占的比重（大于等于 0 的数字）</translation>
    </message>
    <message>
        <source>&amp;Weight</source>
        <translation>权重(&amp;W)</translation>
    </message>
    <message>
        <source>weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Threshold</source>
        <translation>阈值</translation>
    </message>
    <message>
        <source>none: every assertion must pass</source>
        <translation>无：所有断言都必须通过</translation>
    </message>
    <message>
        <source>When set, the case passes when its weighted score reaches it</source>
        <translation>设置后，用例的加权得分达到该值即通过</translation>
    </message>
    <message>
        <source>T&amp;hreshold</source>
        <translation>阈值(&amp;H)</translation>
    </message>
    <message>
        <source>threshold</source>
        <translation>阈值</translation>
    </message>
    <message>
        <source>Time budget</source>
        <translation>时间预算</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>suite default</source>
        <translation>测试集默认值</translation>
    </message>
    <message>
        <source>An answer slower than this fails &quot;quality within budget&quot;; 0 is the suite default</source>
        <translation>回答慢于此值即判定“预算内质量”失败；0 表示使用测试集默认值</translation>
    </message>
    <message>
        <source>Time bu&amp;dget</source>
        <translation>时间预算(&amp;D)</translation>
    </message>
    <message>
        <source>time budget</source>
        <translation>时间预算</translation>
    </message>
    <message>
        <source>Metadata</source>
        <translation>元数据</translation>
    </message>
    <message>
        <source>&amp;Metadata</source>
        <translation>元数据(&amp;M)</translation>
    </message>
    <message>
        <source>metadata</source>
        <translation>元数据</translation>
    </message>
    <message>
        <source>Assertions</source>
        <translation>断言</translation>
    </message>
    <message>
        <source>A&amp;ssertions</source>
        <translation>断言(&amp;S)</translation>
    </message>
    <message>
        <source>assertions</source>
        <translation>断言</translation>
    </message>
    <message>
        <source>suite default (%1 ms)</source>
        <translation>测试集默认值（%1 ms）</translation>
    </message>
    <message>
        <source>suite default (none)</source>
        <translation>测试集默认值（无）</translation>
    </message>
    <message>
        <source>The weight &quot;%1&quot; is not a number of at least 0</source>
        <translation>权重“%1”不是大于等于 0 的数字</translation>
    </message>
    <message>
        <source>The threshold &quot;%1&quot; is not a number</source>
        <translation>阈值“%1”不是数字</translation>
    </message>
    <message>
        <source>Change %1 of case %2</source>
        <translation>更改用例 %2 的%1</translation>
    </message>
    <message>
        <source>Not a number: &quot;%1&quot;</source>
        <translation>不是数字：“%1”</translation>
    </message>
    <message>
        <source>Not a number of at least 0: &quot;%1&quot;</source>
        <translation>不是大于等于 0 的数字：“%1”</translation>
    </message>
    <message>
        <source>prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>reference</source>
        <translation>参考答案</translation>
    </message>
    <message>
        <source>input kind</source>
        <translation>输入类型</translation>
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
        <translation>选中的回答</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>回答</translation>
    </message>
    <message>
        <source>Grades</source>
        <translation>评分</translation>
    </message>
    <message>
        <source>Grades and reasons</source>
        <translation>评分与理由</translation>
    </message>
    <message>
        <source>Chunk arrivals (time →, text received ↑)</source>
        <translation>数据块到达情况（时间 →，已接收文本 ↑）</translation>
    </message>
    <message>
        <source>Figures</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Select a cell to see its answer.</source>
        <translation>选择一个单元格以查看其回答。</translation>
    </message>
    <message>
        <source>%1 · %2: no answer yet</source>
        <translation>%1 · %2：尚无回答</translation>
    </message>
    <message>
        <source>%1 · %2 · repeat %3 of %4</source>
        <translation>%1 · %2 · 第 %3 次重复（共 %4 次）</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>[refusal] %1</source>
        <translation>[拒绝] %1</translation>
    </message>
    <message>
        <source>Not completed: %1</source>
        <translation>未完成：%1</translation>
    </message>
    <message>
        <source>no error given</source>
        <translation>未给出错误信息</translation>
    </message>
    <message>
        <source>%1 · score %2</source>
        <translation>%1 · 得分 %2</translation>
    </message>
    <message>
        <source>PASS</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>FAIL</source>
        <translation>未通过</translation>
    </message>
    <message>
        <source>waiting for judge</source>
        <translation>正在等待评审</translation>
    </message>
    <message>
        <source>pass</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>fail</source>
        <translation>未通过</translation>
    </message>
    <message>
        <source>• %1: %2 (%3) — %4</source>
        <translation>• %1：%2（%3）— %4</translation>
    </message>
    <message>
        <source>Scores of all repeats: %1</source>
        <translation>所有重复的得分：%1</translation>
    </message>
    <message>
        <source>TTFT %1</source>
        <translation>TTFT %1</translation>
    </message>
    <message>
        <source>total %1</source>
        <translation>总计 %1</translation>
    </message>
    <message>
        <source>%1%2 tok/s</source>
        <translation>%1%2 tok/s</translation>
    </message>
    <message>
        <source>%1 tokens</source>
        <translation>%1 个 token</translation>
    </message>
    <message numerus="yes">
        <source>%n chunk(s)</source>
        <translation>
            <numerusform>%n 个数据块</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n stall(s)</source>
        <translation>
            <numerusform>%n 次停顿</numerusform>
        </translation>
    </message>
    <message>
        <source>$%1</source>
        <translation>$%1</translation>
    </message>
    <message>
        <source>cost unknown</source>
        <translation>成本未知</translation>
    </message>
    <message numerus="yes">
        <source>%n attempt(s)</source>
        <translation>
            <numerusform>%n 次尝试</numerusform>
        </translation>
    </message>
    <message>
        <source>Chain transcript</source>
        <translation>链式对话记录</translation>
    </message>
    <message>
        <source>[tool call] %1(%2)</source>
        <translation>[工具调用] %1(%2)</translation>
    </message>
    <message numerus="yes">
        <source>%n turn(s)</source>
        <translation>
            <numerusform>%n 轮</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n request(s)</source>
        <translation>
            <numerusform>%n 个请求</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Slopscope::ChunkSparkline</name>
    <message>
        <source>Chunk arrivals</source>
        <translation>数据块到达情况</translation>
    </message>
    <message>
        <source>No chunks arrived</source>
        <translation>没有数据块到达</translation>
    </message>
    <message numerus="yes">
        <source>%n chunk(s) over %1 ms</source>
        <translation>
            <numerusform>%1 ms 内共 %n 个数据块</numerusform>
        </translation>
    </message>
    <message>
        <source>no chunks</source>
        <translation>无数据块</translation>
    </message>
</context>
<context>
    <name>Slopscope::DiffView</name>
    <message>
        <source>&amp;Case</source>
        <translation>用例(&amp;C)</translation>
    </message>
    <message>
        <source>Case to compare</source>
        <translation>要比较的用例</translation>
    </message>
    <message>
        <source>&amp;Left</source>
        <translation>左侧(&amp;L)</translation>
    </message>
    <message>
        <source>Left side</source>
        <translation>左侧</translation>
    </message>
    <message>
        <source>&amp;Right</source>
        <translation>右侧(&amp;R)</translation>
    </message>
    <message>
        <source>Right side</source>
        <translation>右侧</translation>
    </message>
    <message>
        <source>Left answer</source>
        <translation>左侧回答</translation>
    </message>
    <message>
        <source>Right answer</source>
        <translation>右侧回答</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>参考答案</translation>
    </message>
    <message>
        <source>%1 (no answer yet)</source>
        <translation>%1（尚无回答）</translation>
    </message>
    <message>
        <source>%1 (repeat %2)</source>
        <translation>%1（第 %2 次重复）</translation>
    </message>
    <message>
        <source>No results to compare yet.</source>
        <translation>尚无可比较的结果。</translation>
    </message>
    <message>
        <source>Too long to compare word by word.</source>
        <translation>内容过长，无法逐词比较。</translation>
    </message>
    <message>
        <source>%1 words in common · %2 only left (orange) · %3 only right (blue)</source>
        <translation>共同 %1 词 · 仅左侧 %2 词（橙色）· 仅右侧 %3 词（蓝色）</translation>
    </message>
    <message>
        <source>Comparing…</source>
        <translation>正在比较…</translation>
    </message>
</context>
<context>
    <name>Slopscope::DisagreementModel</name>
    <message>
        <source>%1 “%2” is stated by %3; %4 state something else.</source>
        <translation>%1“%2”由 %3 给出；%4 的说法不同。</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Stated by</source>
        <translation>给出该值的目标</translation>
    </message>
    <message>
        <source>Others say otherwise</source>
        <translation>说法不同的目标</translation>
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
        <translation>质量 (%)</translation>
    </message>
    <message>
        <source>Median TTFT (ms)</source>
        <translation>TTFT 中位数 (ms)</translation>
    </message>
    <message>
        <source>Decode (tok/s)</source>
        <translation>解码 (tok/s)</translation>
    </message>
    <message>
        <source>Cost per case ($)</source>
        <translation>每个用例成本 ($)</translation>
    </message>
    <message>
        <source>Run started</source>
        <translation>运行开始</translation>
    </message>
    <message>
        <source>Reported model changed</source>
        <translation>报告的模型已变更</translation>
    </message>
    <message>
        <source>95% interval</source>
        <translation>95% 区间</translation>
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
        <translation>提供商在此处报告为 %1，但在上一次运行中为 %2：模型可能已被悄然替换。</translation>
    </message>
    <message>
        <source>Run %1</source>
        <translation>运行 %1</translation>
    </message>
    <message>
        <source>Run started</source>
        <translation>运行开始</translation>
    </message>
    <message>
        <source>Suite</source>
        <translation>测试集</translation>
    </message>
    <message>
        <source>Quality (95% interval)</source>
        <translation>质量（95% 区间）</translation>
    </message>
    <message>
        <source>Median TTFT</source>
        <translation>TTFT 中位数</translation>
    </message>
    <message>
        <source>Decode</source>
        <translation>解码</translation>
    </message>
    <message>
        <source>Cost/case</source>
        <translation>成本/用例</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Reported model</source>
        <translation>报告的模型</translation>
    </message>
</context>
<context>
    <name>Slopscope::DriftView</name>
    <message>
        <source>Drift</source>
        <translation>漂移</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Second chart</source>
        <translation>第二个图表</translation>
    </message>
    <message>
        <source>&amp;Limit dates</source>
        <translation>限制日期(&amp;L)</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>To</source>
        <translation>到</translation>
    </message>
    <message>
        <source>&amp;Target:</source>
        <translation>目标(&amp;T)：</translation>
    </message>
    <message>
        <source>Second &amp;chart:</source>
        <translation>第二个图表(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;From</source>
        <translation>从(&amp;F)</translation>
    </message>
    <message>
        <source>Runs of the target</source>
        <translation>该目标的运行</translation>
    </message>
    <message>
        <source>Reading the history…</source>
        <translation>正在读取历史记录…</translation>
    </message>
    <message>
        <source>Cannot read the history: %1</source>
        <translation>无法读取历史记录：%1</translation>
    </message>
    <message>
        <source>No run is recorded in %1 yet.</source>
        <translation>%1 中尚未记录任何运行。</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) of %1.</source>
        <translation>
            <numerusform>%1 的 %n 次运行。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 The reported model changed %n time(s) (▲ on the chart, ⚠ in the table).</source>
        <translation>
            <numerusform>%1 报告的模型变更了 %n 次（图表中为 ▲，表格中为 ⚠）。</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Until</source>
        <translation>到(&amp;U)</translation>
    </message>
</context>
<context>
    <name>Slopscope::EscapedLineEdit</name>
    <message>
        <source>Invisible and direction-changing characters are shown as \u followed by their code (\u202E); type one that way to enter it, and \\ for a backslash before a &quot;u&quot;.</source>
        <translation>不可见字符和改变文字方向的字符显示为 \u 加其代码（\u202E）；按此方式输入即可输入该字符，在“u”前输入反斜杠请用 \\。</translation>
    </message>
</context>
<context>
    <name>Slopscope::HeaderTableEditor</name>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>row %1 has no header name</source>
        <translation>第 %1 行没有标头名称</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is listed twice</source>
        <translation>“%1”重复列出</translation>
    </message>
</context>
<context>
    <name>Slopscope::HistoryBrowser</name>
    <message>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <source>Filter runs</source>
        <translation>筛选运行</translation>
    </message>
    <message>
        <source>Recorded runs</source>
        <translation>已记录的运行</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>打开(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Export Run…</source>
        <translation>导出运行(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Delete Run…</source>
        <translation>删除运行(&amp;D)…</translation>
    </message>
    <message>
        <source>Cannot read the history: %1</source>
        <translation>无法读取历史记录：%1</translation>
    </message>
    <message>
        <source>No run is recorded in %1 yet.</source>
        <translation>%1 中尚未记录任何运行。</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) in %1</source>
        <translation>
            <numerusform>%1 中有 %n 个运行</numerusform>
        </translation>
    </message>
    <message>
        <source>Exported the run to %1.</source>
        <translation>已将该运行导出到 %1。</translation>
    </message>
    <message>
        <source>Cannot export the run: %1</source>
        <translation>无法导出该运行：%1</translation>
    </message>
    <message>
        <source>Cannot delete the run: %1</source>
        <translation>无法删除该运行：%1</translation>
    </message>
    <message>
        <source>Export Run</source>
        <translation>导出运行</translation>
    </message>
    <message>
        <source>Slopscope run (*.sqlite)</source>
        <translation>Slopscope 运行 (*.sqlite)</translation>
    </message>
    <message>
        <source>Delete Run</source>
        <translation>删除运行</translation>
    </message>
    <message numerus="yes">
        <source>Delete the run of %1 started %2 and its %n result(s)? This cannot be undone.</source>
        <translation>
            <numerusform>删除测试集 %1 于 %2 开始的运行及其 %n 个结果？此操作无法撤销。</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Co&amp;mpare</source>
        <translation>比较(&amp;M)</translation>
    </message>
    <message>
        <source>Compare the selected runs side by side; select two or more with Ctrl or Shift (Ctrl+D)</source>
        <translation>并排比较所选运行；按住 Ctrl 或 Shift 选择两个或更多 (Ctrl+D)</translation>
    </message>
    <message>
        <source>D&amp;rift…</source>
        <translation>漂移(&amp;R)…</translation>
    </message>
    <message>
        <source>One target&apos;s quality, speed and cost across every run (Ctrl+Shift+D)</source>
        <translation>单个目标在所有运行中的质量、速度和成本 (Ctrl+Shift+D)</translation>
    </message>
    <message>
        <source>Filter by suite, prompt, target, state or run id</source>
        <translation>按测试集、提示词、目标、状态或运行 ID 筛选</translation>
    </message>
    <message>
        <source>All runs</source>
        <translation>所有运行</translation>
    </message>
    <message>
        <source>Suite runs</source>
        <translation>测试集运行</translation>
    </message>
    <message>
        <source>Quick compares</source>
        <translation>快速比较</translation>
    </message>
    <message>
        <source>Show runs of kind</source>
        <translation>显示的运行类型</translation>
    </message>
    <message>
        <source>Suite runs, quick-compare exchanges, or both</source>
        <translation>测试集运行、快速比较交互，或两者</translation>
    </message>
    <message>
        <source>Open in &amp;Arena…</source>
        <translation>在竞技场中打开(&amp;A)…</translation>
    </message>
    <message>
        <source>Vote blind on this run&apos;s answers, two at a time (Ctrl+Shift+A)</source>
        <translation>对此运行的回答进行盲投，每次两个（Ctrl+Shift+A）</translation>
    </message>
</context>
<context>
    <name>Slopscope::JsonObjectEdit</name>
    <message>
        <source>A JSON object, e.g. %1; empty for none</source>
        <translation>JSON 对象，例如 %1；留空表示无</translation>
    </message>
    <message>
        <source>%1 must be a JSON object ({...}), not a %2</source>
        <translation>%1 必须是 JSON 对象（{...}），而不是 %2</translation>
    </message>
</context>
<context>
    <name>Slopscope::KeyEntryDialog</name>
    <message>
        <source>Set %1</source>
        <translation>设置 %1</translation>
    </message>
    <message>
        <source>Enter the key for %1 (used by %2). It is stored in the system keychain and never shown again.</source>
        <translation>请输入 %1 的密钥（由 %2 使用）。密钥将存储在系统密钥链中，且不会再次显示。</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>密钥</translation>
    </message>
</context>
<context>
    <name>Slopscope::KeychainKeyStore</name>
    <message>
        <source>the system keychain</source>
        <translation>系统密钥链</translation>
    </message>
</context>
<context>
    <name>Slopscope::KeyringSecrets</name>
    <message>
        <source>The stored key %1 was confirmed for %2, not for %3: allow it when the app asks before a run or with &quot;slopscope-cli keys allow-host %1 %3&quot;, or set %1 in the environment</source>
        <translation>存储的密钥 %1 已确认可用于 %2，而不是 %3：请在应用于运行前询问时允许，或使用 &quot;slopscope-cli keys allow-host %1 %3&quot; 允许，或在环境变量中设置 %1</translation>
    </message>
</context>
<context>
    <name>Slopscope::KeysSettingsPage</name>
    <message>
        <source>API keys are kept in the system keychain, never in the workspace or the settings. An environment variable of the same name overrides the keychain.</source>
        <translation>API 密钥保存在系统密钥链中，绝不会保存在工作区或设置中。同名的环境变量会覆盖密钥链。</translation>
    </message>
    <message>
        <source>API keys</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>密钥</translation>
    </message>
    <message>
        <source>Used by</source>
        <translation>使用方</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>This workspace&apos;s providers need no API key: they are all simulated or local.</source>
        <translation>此工作区的提供商不需要 API 密钥：它们都是模拟的或本地的。</translation>
    </message>
    <message>
        <source>&amp;Set Key…</source>
        <translation>设置密钥(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>移除(&amp;R)</translation>
    </message>
    <message>
        <source>checking…</source>
        <translation>正在检查…</translation>
    </message>
    <message>
        <source>environment</source>
        <translation>环境变量</translation>
    </message>
    <message>
        <source>keychain</source>
        <translation>密钥链</translation>
    </message>
    <message>
        <source>this session only</source>
        <translation>仅限本次会话</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>缺失</translation>
    </message>
    <message>
        <source>unknown: keychain unavailable</source>
        <translation>未知：密钥链不可用</translation>
    </message>
    <message>
        <source>%1 is set in the environment: that value is used, whatever the keychain holds, until the variable is unset.</source>
        <translation>%1 已在环境变量中设置：在取消设置该变量之前，无论密钥链中保存了什么，都将使用该值。</translation>
    </message>
    <message>
        <source>%1 is kept for this session only. The keychain could not take it: %2</source>
        <translation>%1 仅在本次会话中保留。密钥链无法保存它：%2</translation>
    </message>
    <message>
        <source>The keychain could not answer about %1: %2</source>
        <translation>密钥链无法提供有关 %1 的信息：%2</translation>
    </message>
    <message>
        <source>Saving %1…</source>
        <translation>正在保存 %1…</translation>
    </message>
    <message>
        <source>%1 is saved in the system keychain.</source>
        <translation>已将 %1 保存到系统密钥链。</translation>
    </message>
    <message>
        <source>%1 is kept for this session only: it works until Slopscope quits and is written nowhere.</source>
        <translation>%1 仅在本次会话中保留：在 Slopscope 退出前有效，且不会写入任何位置。</translation>
    </message>
    <message>
        <source>%1 was not saved: %2</source>
        <translation>未保存 %1：%2</translation>
    </message>
    <message>
        <source>Remove Key</source>
        <translation>移除密钥</translation>
    </message>
    <message>
        <source>Remove %1 from the keychain? Providers that use it will fail until a key is set again.</source>
        <translation>要从密钥链中移除 %1 吗？使用它的提供商在重新设置密钥之前都会失败。</translation>
    </message>
    <message>
        <source>%1 is removed.</source>
        <translation>已移除 %1。</translation>
    </message>
    <message>
        <source>%1 was not removed: %2</source>
        <translation>未移除 %1：%2</translation>
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
        <translation>%1 个百分点（%2 到 %3）</translation>
    </message>
    <message>
        <source>%1 pts</source>
        <translation>%1 个百分点</translation>
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
        <translation>目标 %1</translation>
    </message>
    <message numerus="yes">
        <source>Mean score over %n case(s) in their canonical wording; the range is a 95% bootstrap interval.</source>
        <translation>
            <numerusform>%n 个用例在标准措辞下的平均得分；范围为 95% 自助法置信区间。</numerusform>
        </translation>
    </message>
    <message>
        <source>Canonical minus reworded quality, in percentage points, over the cases run with variants; the range is a paired 95% bootstrap interval.</source>
        <translation>标准措辞与改写措辞的质量之差（百分点），基于带变体运行的用例；范围为配对 95% 自助法置信区间。</translation>
    </message>
    <message>
        <source>Unknown: the run had no rewordings (tick Variants).</source>
        <translation>未知：该运行没有改写（请勾选“变体”）。</translation>
    </message>
    <message numerus="yes">
        <source>Cost of 1,000 cases at the measured mean; %n answer(s) had no known price and are left out.</source>
        <translation>
            <numerusform>按实测平均值计算的 1,000 个用例的成本；%n 个回答价格未知，已排除。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Cost of 1,000 cases at the mean measured over %n answer(s).</source>
        <translation>
            <numerusform>按 %n 个回答的实测平均值计算的 1,000 个用例的成本。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Time to first token over %n completed answer(s) (nearest rank).</source>
        <translation>
            <numerusform>%n 个已完成回答的首个 token 时间（最近秩法）。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Median decode speed after the first token, over %n answer(s).</source>
        <translation>
            <numerusform>首个 token 之后的解码速度中位数，基于 %n 个回答。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Answers that did not complete (failed, truncated, cancelled) out of %n.</source>
        <translation>
            <numerusform>%n 个回答中未完成（失败、截断、取消）的数量。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n case(s) graded</source>
        <translation>
            <numerusform>已评分 %n 个用例</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n answer(s) in all</source>
        <translation>
            <numerusform>共 %n 个回答</numerusform>
        </translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Quality (95% CI)</source>
        <translation>质量（95% CI）</translation>
    </message>
    <message>
        <source>Brittleness</source>
        <translation>脆弱性</translation>
    </message>
    <message>
        <source>$ / 1k cases</source>
        <translation>$ / 1k 用例</translation>
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
        <translation>解码</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>n</source>
        <translation>n</translation>
    </message>
    <message numerus="yes">
        <source>%1% agreement, κ = %2, over %n answer(s) graded by a judge and rated by a person</source>
        <translation>
            <numerusform>一致率 %1%，κ = %2，基于 %n 个由评审评判并经人工评分的回答</numerusform>
        </translation>
    </message>
    <message>
        <source>Unknown: no answer of this target has both a judge&apos;s verdict and a person&apos;s rating (rate answers in the matrix).</source>
        <translation>未知：该目标没有同时具有评审结论和人工评分的回答（请在矩阵中为回答评分）。</translation>
    </message>
    <message>
        <source>Judge %1: %2</source>
        <translation>评审 %1：%2</translation>
    </message>
    <message>
        <source>Judge %1: no answer both graded</source>
        <translation>评审 %1：没有双方都评过的回答</translation>
    </message>
    <message>
        <source>κ (Cohen&apos;s kappa): 1 is perfect agreement, 0 what chance would give.</source>
        <translation>κ（Cohen&apos;s κ）：1 表示完全一致，0 表示与随机相当。</translation>
    </message>
    <message>
        <source>Judge–human agreement</source>
        <translation>评审与人工一致性</translation>
    </message>
</context>
<context>
    <name>Slopscope::LeaderboardView</name>
    <message>
        <source>Leaderboard</source>
        <translation>排行榜</translation>
    </message>
</context>
<context>
    <name>Slopscope::LocalDiscovery</name>
    <message>
        <source>not a JSON object</source>
        <translation>不是 JSON 对象</translation>
    </message>
    <message>
        <source>no model list in the answer</source>
        <translation>回答中没有模型列表</translation>
    </message>
</context>
<context>
    <name>Slopscope::MainWindow</name>
    <message>
        <source>Targets</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Quadrant</source>
        <translation>象限</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Suite</source>
        <translation>测试集</translation>
    </message>
    <message>
        <source>Suite </source>
        <translation>测试集 </translation>
    </message>
    <message>
        <source>Repeats</source>
        <translation>重复次数</translation>
    </message>
    <message>
        <source>  Repeats </source>
        <translation>  重复次数 </translation>
    </message>
    <message>
        <source>Variants</source>
        <translation>变体</translation>
    </message>
    <message>
        <source>Also send each case&apos;s rewordings, to measure brittleness.</source>
        <translation>同时发送每个用例的改写，以测量脆弱性。</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <source>Run the suite on the checked targets (Ctrl+R)</source>
        <translation>在勾选的目标上运行测试集（Ctrl+R）</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>停止(&amp;S)</translation>
    </message>
    <message>
        <source>Stop the run, keeping what has arrived (Ctrl+.)</source>
        <translation>停止运行，保留已收到的内容（Ctrl+.）</translation>
    </message>
    <message>
        <source>%v / %m</source>
        <translation>%v / %m</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Results matrix</source>
        <translation>结果矩阵</translation>
    </message>
    <message>
        <source>Answer diff</source>
        <translation>回答差异</translation>
    </message>
    <message>
        <source>&amp;Matrix</source>
        <translation>矩阵(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Leaderboard</source>
        <translation>排行榜(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Diff</source>
        <translation>差异(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Export Quadrant…</source>
        <translation>导出象限图(&amp;E)…</translation>
    </message>
    <message>
        <source>Export Quadrant</source>
        <translation>导出象限图</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG image (*.svg);;PDF (*.pdf)</source>
        <translation>PNG 图像 (*.png);;SVG 图像 (*.svg);;PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Cannot export the quadrant</source>
        <translation>无法导出象限图</translation>
    </message>
    <message>
        <source>Export &amp;Results…</source>
        <translation>导出结果(&amp;R)…</translation>
    </message>
    <message>
        <source>Export Results</source>
        <translation>导出结果</translation>
    </message>
    <message>
        <source>HTML report (*.html);;PDF report (*.pdf);;Markdown report (*.md);;Summary (*.json);;Results, one JSON line each (*.jsonl);;Results table (*.csv);;Chart (*.png *.svg)</source>
        <translation>HTML 报告 (*.html);;PDF 报告 (*.pdf);;Markdown 报告 (*.md);;摘要 (*.json);;结果，每条一行 JSON (*.jsonl);;结果表格 (*.csv);;图表 (*.png *.svg)</translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation>已导出 %1</translation>
    </message>
    <message>
        <source>Cannot export the results</source>
        <translation>无法导出结果</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Results &amp;Matrix</source>
        <translation>结果矩阵(&amp;M)</translation>
    </message>
    <message>
        <source>Show &amp;Results</source>
        <translation>显示结果(&amp;R)</translation>
    </message>
    <message>
        <source>Show &amp;Targets</source>
        <translation>显示目标(&amp;T)</translation>
    </message>
    <message>
        <source>Show &amp;Quadrant</source>
        <translation>显示象限(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About Slopscope</source>
        <translation>关于 Slopscope(&amp;A)</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>关于 Qt(&amp;Q)</translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n case(s))</source>
        <translation>
            <numerusform>%1（%n 个用例）</numerusform>
        </translation>
    </message>
    <message>
        <source>no workspace</source>
        <translation>无工作区</translation>
    </message>
    <message>
        <source>%1 — Slopscope %2</source>
        <translation>%1 — Slopscope %2</translation>
    </message>
    <message numerus="yes">
        <source>%n target(s)</source>
        <translation>
            <numerusform>%n 个目标</numerusform>
        </translation>
    </message>
    <message>
        <source>History not recorded: %1</source>
        <translation>未记录历史：%1</translation>
    </message>
    <message>
        <source>There are no results to export yet: run a suite first.</source>
        <translation>尚无可导出的结果：请先运行测试集。</translation>
    </message>
    <message>
        <source>%1: choose a file ending in .html, .pdf, .md, .json, .jsonl, .csv, .png or .svg.</source>
        <translation>%1：请选择以 .html、.pdf、.md、.json、.jsonl、.csv、.png 或 .svg 结尾的文件。</translation>
    </message>
    <message>
        <source>History: saved again.</source>
        <translation>历史记录：已重新保存。</translation>
    </message>
    <message>
        <source>History: %1 (waiting)</source>
        <translation>历史记录：%1（等待中）</translation>
    </message>
    <message numerus="yes">
        <source>History: %1. The run was stopped; %n finished result(s) wait in memory and are saved as soon as the disk allows.</source>
        <translation>
            <numerusform>历史记录：%1。运行已停止；%n 个已完成的结果暂存于内存中，待磁盘可用时立即保存。</numerusform>
        </translation>
    </message>
    <message>
        <source>History: %1</source>
        <translation>历史记录：%1</translation>
    </message>
    <message>
        <source>%1 of %2 · %3</source>
        <translation>%1 / %2 · %3</translation>
    </message>
    <message>
        <source>Open a suite first.</source>
        <translation>请先打开测试集。</translation>
    </message>
    <message>
        <source>Check at least one target.</source>
        <translation>请至少勾选一个目标。</translation>
    </message>
    <message>
        <source>Cannot start the run</source>
        <translation>无法开始运行</translation>
    </message>
    <message numerus="yes">
        <source>Running %1 on %n target(s)…</source>
        <translation>
            <numerusform>正在 %n 个目标上运行 %1…</numerusform>
        </translation>
    </message>
    <message>
        <source>attempt %1</source>
        <translation>第 %1 次尝试</translation>
    </message>
    <message>
        <source>Case %1</source>
        <translation>用例 %1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>pass</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>fail (score %1)</source>
        <translation>未通过（得分 %1）</translation>
    </message>
    <message>
        <source>spent $%1</source>
        <translation>已花费 $%1</translation>
    </message>
    <message>
        <source>Run stopped: %1.</source>
        <translation>运行已停止：%1。</translation>
    </message>
    <message numerus="yes">
        <source>Run finished: %n result(s).</source>
        <translation>
            <numerusform>运行完成：%n 个结果。</numerusform>
        </translation>
    </message>
    <message>
        <source>Open Workspace</source>
        <translation>打开工作区</translation>
    </message>
    <message>
        <source>Slopscope workspaces (*.json);;All files (*)</source>
        <translation>Slopscope 工作区 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Cannot open workspace</source>
        <translation>无法打开工作区</translation>
    </message>
    <message>
        <source>Open Suite</source>
        <translation>打开测试集</translation>
    </message>
    <message>
        <source>Slopscope suites (*.json);;All files (*)</source>
        <translation>Slopscope 测试集 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Cannot open suite</source>
        <translation>无法打开测试集</translation>
    </message>
    <message>
        <source>About Slopscope</source>
        <translation>关于 Slopscope</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Slopscope %1&lt;/h3&gt;&lt;p&gt;Price, speed and quality of LLM providers, measured on your own prompts.&lt;/p&gt;&lt;p&gt;MIT licence. Third-party notices ship with the application.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Slopscope %1&lt;/h3&gt;&lt;p&gt;在您自己的提示词上测量各 LLM 提供商的价格、速度和质量。&lt;/p&gt;&lt;p&gt;MIT 许可证。第三方声明随应用程序一同提供。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>The language changes when Slopscope starts again.</source>
        <translation>语言将在 Slopscope 下次启动时更改。</translation>
    </message>
    <message>
        <source>System Default</source>
        <translation>系统默认</translation>
    </message>
    <message>
        <source>&amp;History…</source>
        <translation>历史记录(&amp;H)…</translation>
    </message>
    <message>
        <source>Stop the current run before opening another from the history.</source>
        <translation>请先停止当前运行，再从历史记录中打开另一个运行。</translation>
    </message>
    <message>
        <source>No history is open.</source>
        <translation>未打开任何历史记录。</translation>
    </message>
    <message>
        <source>Showing the recorded run of %1 from %2 (%3): nothing was sent.</source>
        <translation>正在显示测试集 %1 于 %2 的已记录运行（%3）：未发送任何请求。</translation>
    </message>
    <message>
        <source>Cannot open the run</source>
        <translation>无法打开该运行</translation>
    </message>
    <message>
        <source>History Damaged</source>
        <translation>历史已损坏</translation>
    </message>
    <message>
        <source>&amp;Restore Backup</source>
        <translation>恢复备份(&amp;R)</translation>
    </message>
    <message>
        <source>Keep the &amp;Empty History</source>
        <translation>保留空历史(&amp;E)</translation>
    </message>
    <message>
        <source>History restored from %1.</source>
        <translation>已从 %1 恢复历史。</translation>
    </message>
    <message>
        <source>Routing &amp;Policies…</source>
        <translation>路由策略(&amp;P)…</translation>
    </message>
    <message>
        <source>Replay routing policies over this run&apos;s results (Ctrl+Shift+R)</source>
        <translation>在本次运行的结果上重放路由策略 (Ctrl+Shift+R)</translation>
    </message>
    <message>
        <source>the recorded run of %1</source>
        <translation>%1 的已记录运行</translation>
    </message>
    <message>
        <source>A run is going: its results are replayed when it ends.</source>
        <translation>正在运行：结束后将重放其结果。</translation>
    </message>
    <message>
        <source>the last run</source>
        <translation>上一次运行</translation>
    </message>
    <message>
        <source>No finished run to replay yet: run a suite, or open one from File ▸ History.</source>
        <translation>还没有可重放的已完成运行：请运行一个测试集，或从 文件 ▸ 历史记录 打开一个。</translation>
    </message>
    <message>
        <source>A run is going.</source>
        <translation>正在运行。</translation>
    </message>
    <message>
        <source>Fetching records into the history, and none is open.</source>
        <translation>获取的结果会记录到历史中，但没有打开任何历史。</translation>
    </message>
    <message>
        <source>Cannot fetch: %1</source>
        <translation>无法获取：%1</translation>
    </message>
    <message numerus="yes">
        <source>Fetching %n answer(s)</source>
        <translation>
            <numerusform>正在获取 %n 个回答</numerusform>
        </translation>
    </message>
    <message>
        <source>The fetch stopped: %1.</source>
        <translation>获取已停止：%1。</translation>
    </message>
    <message numerus="yes">
        <source>Fetched %n answer(s)</source>
        <translation>
            <numerusform>已获取 %n 个回答</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n result(s) were still being written; the history will have them.</source>
        <translation>
            <numerusform>%n 个结果仍在写入；历史中会有它们。</numerusform>
        </translation>
    </message>
    <message>
        <source>Fetched, but the run cannot be shown again: %1</source>
        <translation>已获取，但无法再次显示该运行：%1</translation>
    </message>
    <message numerus="yes">
        <source>and %n judge call(s)…</source>
        <translation>
            <numerusform>以及 %n 次评审调用…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>and %n judge call(s).</source>
        <translation>
            <numerusform>以及 %n 次评审调用。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>(%n verdict(s) or pick(s) could not be asked: %1)</source>
        <translation>
            <numerusform>（%n 个判定或选择无法请求：%1）</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>首选项(&amp;P)…</translation>
    </message>
    <message numerus="yes">
        <source>The keychain could not give %n key(s): %1</source>
        <translation>
            <numerusform>密钥链无法提供 %n 个密钥：%1</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Add Target…</source>
        <translation>添加目标(&amp;A)…</translation>
    </message>
    <message>
        <source>Re&amp;move Target</source>
        <translation>移除目标(&amp;M)</translation>
    </message>
    <message>
        <source>Select a target in the lineup first.</source>
        <translation>请先在阵容中选择一个目标。</translation>
    </message>
    <message>
        <source>Cannot remove the target</source>
        <translation>无法移除目标</translation>
    </message>
    <message>
        <source>Removed %1 (Undo brings it back).</source>
        <translation>已移除 %1（撤销可恢复）。</translation>
    </message>
    <message>
        <source>Stop the run before changing the lineup.</source>
        <translation>请先停止运行，再更改阵容。</translation>
    </message>
    <message>
        <source>Cannot add the target</source>
        <translation>无法添加目标</translation>
    </message>
    <message>
        <source>Add %1</source>
        <translation>添加 %1</translation>
    </message>
    <message>
        <source>Added %1.</source>
        <translation>已添加 %1。</translation>
    </message>
    <message>
        <source>Remove %1</source>
        <translation>删除 %1</translation>
    </message>
    <message>
        <source>The run was not started.</source>
        <translation>运行未启动。</translation>
    </message>
    <message>
        <source>Waiting for the keychain to give the workspace&apos;s API keys…</source>
        <translation>正在等待密钥链提供工作区的 API 密钥…</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>Open &amp;Workspace…</source>
        <translation>打开工作区(&amp;W)…</translation>
    </message>
    <message>
        <source>Show &amp;Suite</source>
        <translation>显示测试集(&amp;S)</translation>
    </message>
    <message>
        <source>Cannot run the suite: %1</source>
        <translation>无法运行测试集：%1</translation>
    </message>
    <message>
        <source>Quick Compare</source>
        <translation>快速比较</translation>
    </message>
    <message>
        <source>The keychain is still giving the workspace&apos;s API keys; send again in a moment.</source>
        <translation>钥匙串仍在提供工作区的 API 密钥；请稍后再发送。</translation>
    </message>
    <message>
        <source>&amp;Quick Compare</source>
        <translation>快速比较(&amp;Q)</translation>
    </message>
    <message>
        <source>Send one prompt or a chat to every checked target (Ctrl+K)</source>
        <translation>将一个提示词或一段对话发送给每个已勾选的目标 (Ctrl+K)</translation>
    </message>
    <message>
        <source>Quick compare cases</source>
        <translation>快速比较用例</translation>
    </message>
    <message>
        <source>Saved as case &quot;%1&quot; in the suite &quot;%2&quot;.</source>
        <translation>已保存为测试集“%2”中的用例“%1”。</translation>
    </message>
    <message>
        <source>Send the key to a new host?</source>
        <translation>将密钥发送到新主机？</translation>
    </message>
    <message>
        <source>The stored key %1 has been sent only to %2.

Provider &quot;%3&quot; would now send it to %4. If you did not change this provider&apos;s address yourself, the workspace may be trying to collect your key.</source>
        <translation>存储的密钥 %1 此前仅发送到 %2。

提供商“%3”现在会将其发送到 %4。如果您没有亲自更改此提供商的地址，该工作区可能正试图收集您的密钥。</translation>
    </message>
    <message>
        <source>Send to %1</source>
        <translation>发送到 %1</translation>
    </message>
    <message>
        <source>Run not started: the key %1 was not sent to %2.</source>
        <translation>运行未启动：密钥 %1 未发送到 %2。</translation>
    </message>
    <message>
        <source>&amp;New Suite</source>
        <translation>新建测试集(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Open Suite…</source>
        <translation>打开测试集(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;Recent Suite</source>
        <translation>打开最近的测试集(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Save Suite</source>
        <translation>保存测试集(&amp;S)</translation>
    </message>
    <message>
        <source>Save Suite &amp;As…</source>
        <translation>测试集另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Add Case</source>
        <translation>添加用例(&amp;A)</translation>
    </message>
    <message>
        <source>D&amp;uplicate Case</source>
        <translation>复制用例(&amp;U)</translation>
    </message>
    <message>
        <source>Re&amp;move Case</source>
        <translation>删除用例(&amp;M)</translation>
    </message>
    <message>
        <source>Move Case U&amp;p</source>
        <translation>上移用例(&amp;P)</translation>
    </message>
    <message>
        <source>Move Case Do&amp;wn</source>
        <translation>下移用例(&amp;W)</translation>
    </message>
    <message>
        <source>Untitled suite</source>
        <translation>未命名测试集</translation>
    </message>
    <message>
        <source>%1[*] — %2 — Slopscope %3</source>
        <translation>%1[*] — %2 — Slopscope %3</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>已打开 %1</translation>
    </message>
    <message>
        <source>The suite cannot be saved yet: %1</source>
        <translation>暂时无法保存测试集：%1</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>Cannot save the suite</source>
        <translation>无法保存测试集</translation>
    </message>
    <message>
        <source>Save Suite As</source>
        <translation>测试集另存为</translation>
    </message>
    <message>
        <source>Slopscope suites (*.json)</source>
        <translation>Slopscope 测试集 (*.json)</translation>
    </message>
    <message>
        <source>Unsaved suite</source>
        <translation>未保存的测试集</translation>
    </message>
    <message>
        <source>The suite &quot;%1&quot; has changes that are not saved. Save them?</source>
        <translation>测试集“%1”有未保存的更改。是否保存？</translation>
    </message>
    <message>
        <source>&amp;%1 %2</source>
        <translation>&amp;%1 %2</translation>
    </message>
    <message>
        <source>No recent suites</source>
        <translation>没有最近的测试集</translation>
    </message>
    <message>
        <source>%1 no longer exists; it was removed from the recent suites.</source>
        <translation>%1 已不存在；已将其从最近的测试集中移除。</translation>
    </message>
    <message>
        <source>Disa&amp;greements</source>
        <translation>分歧(&amp;G)</translation>
    </message>
    <message>
        <source>Disagreements between the answers</source>
        <translation>回答之间的分歧</translation>
    </message>
    <message>
        <source>&amp;Drift…</source>
        <translation>漂移(&amp;D)…</translation>
    </message>
    <message>
        <source>One target&apos;s quality, speed and cost across the recorded runs</source>
        <translation>单个目标在已记录运行中的质量、速度和成本</translation>
    </message>
    <message>
        <source>Blind &amp;Arena…</source>
        <translation>盲测竞技场(&amp;A)…</translation>
    </message>
    <message>
        <source>Compare two anonymous answers at a time and rank the targets by your votes (Ctrl+Shift+A)</source>
        <translation>每次比较两个匿名回答，并根据你的投票为目标排名 (Ctrl+Shift+A)</translation>
    </message>
    <message>
        <source>The arena opens once the run has ended.</source>
        <translation>运行结束后即可打开竞技场。</translation>
    </message>
    <message>
        <source>No finished run to vote on: run a suite, or open one from File ▸ History.</source>
        <translation>没有可投票的已完成运行：请运行一个测试集，或从 文件 ▸ 历史记录 打开一个。</translation>
    </message>
    <message>
        <source>Blind Arena (votes kept until closed: this run is not recorded)</source>
        <translation>盲测竞技场（投票保留至关闭：此运行不会被记录）</translation>
    </message>
    <message>
        <source>The workspace changed since Preferences opened; close and reopen it to edit the current one.</source>
        <translation>打开首选项后工作区已更改；请关闭并重新打开以编辑当前工作区。</translation>
    </message>
    <message>
        <source>Edit providers and targets</source>
        <translation>编辑提供商和目标</translation>
    </message>
    <message>
        <source>Save Wor&amp;kspace</source>
        <translation>保存工作区(&amp;K)</translation>
    </message>
    <message>
        <source>Save Workspace As…</source>
        <translation>工作区另存为…</translation>
    </message>
    <message>
        <source>Stop the run before changing providers or targets.</source>
        <translation>请先停止运行，再更改提供商或目标。</translation>
    </message>
    <message>
        <source>%1 (Undo takes it back).</source>
        <translation>%1（可用“撤销”恢复）。</translation>
    </message>
    <message>
        <source>A run is going: providers and targets can be edited when it ends.</source>
        <translation>正在运行：运行结束后才能编辑提供商和目标。</translation>
    </message>
    <message>
        <source>Saved the workspace to %1.</source>
        <translation>已将工作区保存到 %1。</translation>
    </message>
    <message>
        <source>Cannot save the workspace</source>
        <translation>无法保存工作区</translation>
    </message>
    <message>
        <source>workspace</source>
        <translation>工作区</translation>
    </message>
    <message>
        <source>Save Workspace As</source>
        <translation>工作区另存为</translation>
    </message>
    <message>
        <source>Unsaved workspace</source>
        <translation>未保存的工作区</translation>
    </message>
    <message>
        <source>The workspace &quot;%1&quot; has changes that are not saved. Save them?</source>
        <translation>工作区“%1”有未保存的更改。是否保存？</translation>
    </message>
    <message>
        <source>%1. No new cell is sent until they are saved.</source>
        <translation>%1。在保存之前不会发送新的单元格。</translation>
    </message>
    <message>
        <source>%1. No new cell is sent until they are saved. %2</source>
        <translation>%1。在保存之前不会发送新的单元格。%2</translation>
    </message>
    <message>
        <source>Answer whether to continue without history first.</source>
        <translation>请先回答是否在无历史记录的情况下继续。</translation>
    </message>
    <message>
        <source>History Unavailable</source>
        <translation>历史记录不可用</translation>
    </message>
    <message>
        <source>The run history cannot be saved: %1

Without it, results are lost when Slopscope closes. Make the folder writable and start again, or continue without history for this session.</source>
        <translation>无法保存运行历史记录：%1

没有历史记录，Slopscope 关闭时结果将丢失。请使文件夹可写并重新启动，或在本次会话中不使用历史记录继续。</translation>
    </message>
    <message>
        <source>&amp;Continue Without History</source>
        <translation>不使用历史记录继续(&amp;C)</translation>
    </message>
    <message>
        <source>No history: results of this session are not saved.</source>
        <translation>无历史记录：本次会话的结果不会保存。</translation>
    </message>
    <message>
        <source>Re&amp;do</source>
        <translation>重做(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Undo %1</source>
        <translation>撤销 %1(&amp;U)</translation>
    </message>
    <message>
        <source>Re&amp;do %1</source>
        <translation>重做 %1(&amp;D)</translation>
    </message>
    <message>
        <source>no cap</source>
        <translation>无上限</translation>
    </message>
    <message>
        <source>Spend cap</source>
        <translation>花费上限</translation>
    </message>
    <message>
        <source>Stop a run or a quick-compare chat once it has cost this much (0: no cap).</source>
        <translation>运行或快速对比聊天的花费达到此值时停止（0：无上限）。</translation>
    </message>
    <message>
        <source>  Spend &amp;cap </source>
        <translation>  花费上限(&amp;C) </translation>
    </message>
    <message>
        <source>Retry &amp;Broken-Off Answers</source>
        <translation>重试断开的回答(&amp;B)</translation>
    </message>
    <message>
        <source>Send again an answer whose stream broke off; the new answer replaces the partial one, and both are paid for.</source>
        <translation>重新发送流式传输中断的回答；新回答替换不完整的回答，两者均会计费。</translation>
    </message>
    <message>
        <source>Cannot open the run in the arena: %1</source>
        <translation>无法在竞技场中打开该运行：%1</translation>
    </message>
    <message>
        <source>Key over Plain HTTP</source>
        <translation>通过明文 HTTP 发送密钥</translation>
    </message>
    <message>
        <source>Send the key over plain HTTP to %1?</source>
        <translation>是否通过明文 HTTP 将密钥发送到 %1？</translation>
    </message>
    <message>
        <source>Provider &quot;%1&quot; has an http:// address, so its key would cross the network unencrypted: anyone on the way can read it. Allow this only on a network you trust (a server on your LAN, for example).</source>
        <translation>提供商“%1”使用 http:// 地址，其密钥将以未加密方式在网络中传输：途经的任何人都能读取。仅在可信网络中允许此操作（例如局域网内的服务器）。</translation>
    </message>
    <message>
        <source>Allow &amp;Once</source>
        <translation>允许一次(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Always for This Host</source>
        <translation>始终允许此主机(&amp;A)</translation>
    </message>
    <message>
        <source>The key is not sent over plain HTTP to %1: those cells are refused.</source>
        <translation>密钥不会通过明文 HTTP 发送到 %1：这些单元格被拒绝。</translation>
    </message>
    <message>
        <source>Proxy credentials kept for this session. Run again to send the requests the proxy refused.</source>
        <translation>代理凭据已在本次会话中保留。请再次运行以发送被代理拒绝的请求。</translation>
    </message>
</context>
<context>
    <name>Slopscope::MessagesEditor</name>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Content</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Add message</source>
        <translation>添加消息</translation>
    </message>
    <message>
        <source>Remove message</source>
        <translation>移除消息</translation>
    </message>
</context>
<context>
    <name>Slopscope::NWayDiffView</name>
    <message>
        <source>&amp;Case</source>
        <translation>用例(&amp;C)</translation>
    </message>
    <message>
        <source>Case to compare</source>
        <translation>要比较的用例</translation>
    </message>
    <message>
        <source>Disputed facts</source>
        <translation>有分歧的事实</translation>
    </message>
    <message>
        <source>%1 (no answer yet)</source>
        <translation>%1（尚无回答）</translation>
    </message>
    <message>
        <source>Answer of %1</source>
        <translation>%1 的回答</translation>
    </message>
    <message>
        <source>No results to compare yet.</source>
        <translation>尚无可比较的结果。</translation>
    </message>
    <message>
        <source>No disputed numbers, dates or names.</source>
        <translation>没有存在分歧的数字、日期或名称。</translation>
    </message>
    <message numerus="yes">
        <source>%n disputed fact(s), highlighted in orange; agreed ones are underlined.</source>
        <translation>
            <numerusform>有 %n 个存在分歧的事实，以橙色突出显示；一致的事实带有下划线。</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing disputed in this answer.</source>
        <translation>此回答中没有存在分歧的内容。</translation>
    </message>
    <message>
        <source>Disputed here: %1</source>
        <translation>此处存在分歧：%1</translation>
    </message>
    <message>
        <source>Comparing…</source>
        <translation>正在比较…</translation>
    </message>
</context>
<context>
    <name>Slopscope::PlainHttpHostsBox</name>
    <message>
        <source>Keys over plain HTTP</source>
        <translation>通过明文 HTTP 发送的密钥</translation>
    </message>
    <message>
        <source>Hosts you allowed to receive a key without TLS (http://). Anyone on the network path can read a key sent to them. Revoke a host to be asked again.</source>
        <translation>你允许在无 TLS（http://）情况下接收密钥的主机。网络路径上的任何人都能读取发送给它们的密钥。撤销某主机后将再次询问。</translation>
    </message>
    <message>
        <source>Hosts allowed to receive a key over plain HTTP</source>
        <translation>允许通过明文 HTTP 接收密钥的主机</translation>
    </message>
    <message>
        <source>Re&amp;voke</source>
        <translation>撤销(&amp;V)</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
</context>
<context>
    <name>Slopscope::ProviderSettingsForm</name>
    <message>
        <source>Base &amp;URL:</source>
        <translation>基础 URL(&amp;U):</translation>
    </message>
    <message>
        <source>Answered by the embedded simulator: its address is chosen when a run starts.</source>
        <translation>由内置模拟器应答：其地址在运行开始时确定。</translation>
    </message>
    <message>
        <source>Max &amp;concurrent requests:</source>
        <translation>最大并发请求数(&amp;C):</translation>
    </message>
    <message>
        <source>Max &amp;retries:</source>
        <translation>最大重试次数(&amp;R):</translation>
    </message>
    <message>
        <source>Follow the environment</source>
        <translation>跟随环境</translation>
    </message>
    <message>
        <source>None (direct)</source>
        <translation>无（直连）</translation>
    </message>
    <message>
        <source>This proxy:</source>
        <translation>此代理：</translation>
    </message>
    <message>
        <source>Pro&amp;xy:</source>
        <translation>代理(&amp;X):</translation>
    </message>
    <message>
        <source>Allow the key over plain &amp;HTTP</source>
        <translation>允许通过明文 HTTP 发送密钥(&amp;H)</translation>
    </message>
    <message>
        <source>Send the key even when the address is http:// and not this computer. Anyone on the network between can read it.</source>
        <translation>即使地址为 http:// 且不是本机也发送密钥。中间网络上的任何人都能读取它。</translation>
    </message>
    <message>
        <source>Timeouts</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>Connect:</source>
        <translation>连接：</translation>
    </message>
    <message>
        <source>First byte:</source>
        <translation>首字节：</translation>
    </message>
    <message>
        <source>First token:</source>
        <translation>首个令牌：</translation>
    </message>
    <message>
        <source>Idle:</source>
        <translation>空闲：</translation>
    </message>
    <message>
        <source>Content idle:</source>
        <translation>内容空闲：</translation>
    </message>
    <message>
        <source>Total:</source>
        <translation>总计：</translation>
    </message>
    <message>
        <source>%1.proxy: enter the proxy&apos;s URL, or choose another proxy setting</source>
        <translation>%1.proxy：请输入代理的 URL，或选择其他代理设置</translation>
    </message>
    <message>
        <source>Targets name their provider by this id; renaming it renames it in them too.</source>
        <translation>目标通过此 ID 指定其提供商；重命名时目标中的 ID 也会随之更改。</translation>
    </message>
    <message>
        <source>&amp;Id:</source>
        <translation>ID(&amp;I)：</translation>
    </message>
    <message>
        <source>OpenAI Chat Completions (and compatible servers)</source>
        <translation>OpenAI Chat Completions（及兼容服务器）</translation>
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
        <translation>协议(&amp;D)：</translation>
    </message>
    <message>
        <source>none (a local server)</source>
        <translation>无（本地服务器）</translation>
    </message>
    <message>
        <source>The name the key is kept under: a keychain entry (Settings ▸ Keys) or an environment variable. The key itself is never written to the workspace.</source>
        <translation>保存密钥所用的名称：钥匙串条目（设置 ▸ 密钥）或环境变量。密钥本身绝不会写入工作区。</translation>
    </message>
    <message>
        <source>API &amp;key name:</source>
        <translation>API 密钥名称(&amp;K)：</translation>
    </message>
    <message>
        <source>Provider %1</source>
        <translation>提供商 %1</translation>
    </message>
    <message>
        <source>Headers</source>
        <translation>标头</translation>
    </message>
    <message>
        <source>Sent with every request, and written to the workspace as they are:</source>
        <translation>随每个请求发送，并按原样写入工作区：</translation>
    </message>
    <message>
        <source>Header</source>
        <translation>标头</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Add header</source>
        <translation>添加标头</translation>
    </message>
    <message>
        <source>Remove header</source>
        <translation>移除标头</translation>
    </message>
    <message>
        <source>Secret headers: their values are kept in the keychain (Settings ▸ Keys) or an environment variable under the name given here, and are never shown or written to the workspace.</source>
        <translation>机密标头：其值保存在钥匙串（设置 ▸ 密钥）或此处所填名称的环境变量中，绝不会显示或写入工作区。</translation>
    </message>
    <message>
        <source>Keychain entry or variable</source>
        <translation>钥匙串条目或变量</translation>
    </message>
    <message>
        <source>Secret headers</source>
        <translation>机密标头</translation>
    </message>
    <message>
        <source>Add secret header</source>
        <translation>添加机密标头</translation>
    </message>
    <message>
        <source>Remove secret header</source>
        <translation>移除机密标头</translation>
    </message>
    <message>
        <source>Certificate authorities</source>
        <translation>证书颁发机构</translation>
    </message>
    <message>
        <source>A PEM file of extra authorities to trust for this provider, besides the system&apos;s (a company proxy&apos;s or a private server&apos;s).</source>
        <translation>除系统的证书颁发机构外，此提供商额外信任的证书颁发机构的 PEM 文件（如公司代理或私有服务器的）。</translation>
    </message>
    <message>
        <source>none: only the system&apos;s authorities</source>
        <translation>无：仅使用系统的证书颁发机构</translation>
    </message>
    <message>
        <source>CA certificate file</source>
        <translation>CA 证书文件</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>Certificate Authorities</source>
        <translation>证书颁发机构</translation>
    </message>
    <message>
        <source>PEM certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>PEM 证书 (*.pem *.crt *.cer);;所有文件 (*)</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>%1.headers: %2</source>
        <translation>%1.headers：%2</translation>
    </message>
    <message>
        <source>%1.ca_file: %2</source>
        <translation>%1.ca_file：%2</translation>
    </message>
    <message>
        <source>enter the file&apos;s full path</source>
        <translation>请输入文件的完整路径</translation>
    </message>
    <message>
        <source>Not trusted: %1.</source>
        <translation>不受信任：%1。</translation>
    </message>
    <message numerus="yes">
        <source>Trusted: %n certificate(s), the first “%1”, valid until %2.</source>
        <translation>
            <numerusform>受信任：%n 个证书，第一个为“%1”，有效期至 %2。</numerusform>
        </translation>
    </message>
    <message>
        <source>Loaded.</source>
        <translation>已加载。</translation>
    </message>
    <message>
        <source>A provider needs an id.</source>
        <translation>提供商需要 ID。</translation>
    </message>
    <message>
        <source>Another provider already has the id “%1”.</source>
        <translation>另一个提供商已使用 ID“%1”。</translation>
    </message>
    <message>
        <source>Enter an http:// or https:// address, such as https://api.example.com/v1.</source>
        <translation>请输入 http:// 或 https:// 地址，例如 https://api.example.com/v1。</translation>
    </message>
</context>
<context>
    <name>Slopscope::ProviderStatusBoard</name>
    <message>
        <source>rate-limited</source>
        <translation>已限速</translation>
    </message>
    <message>
        <source>%1: %2, resuming now</source>
        <translation>%1：%2，正在恢复</translation>
    </message>
    <message>
        <source>%1: %2, resuming in %3</source>
        <translation>%1：%2，%3 后恢复</translation>
    </message>
    <message>
        <source>%1: stopped — %2</source>
        <translation>%1：已停止 — %2</translation>
    </message>
    <message>
        <source>%1: offline — waiting for the network</source>
        <translation>%1：离线 — 正在等待网络</translation>
    </message>
</context>
<context>
    <name>Slopscope::ProviderStatusStrip</name>
    <message>
        <source>Provider status</source>
        <translation>提供商状态</translation>
    </message>
</context>
<context>
    <name>Slopscope::ProvidersSettingsPage</name>
    <message>
        <source>Providers</source>
        <translation>提供商</translation>
    </message>
    <message>
        <source>Targets</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Select a provider or a target.</source>
        <translation>请选择一个提供商或目标。</translation>
    </message>
    <message>
        <source>Providers and targets</source>
        <translation>提供商和目标</translation>
    </message>
    <message>
        <source>&amp;Add Provider</source>
        <translation>添加提供商(&amp;A)</translation>
    </message>
    <message>
        <source>Other OpenAI-compatible server (blank)</source>
        <translation>其他 OpenAI 兼容服务器（空白）</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>移除(&amp;M)</translation>
    </message>
    <message>
        <source>Remove the selected provider</source>
        <translation>移除所选提供商</translation>
    </message>
    <message>
        <source>Remove Provider</source>
        <translation>移除提供商</translation>
    </message>
    <message>
        <source>%1

Remove these targets together with provider &quot;%2&quot;?</source>
        <translation>%1

是否将这些目标与提供商“%2”一起移除？</translation>
    </message>
    <message>
        <source>Remove All</source>
        <translation>全部移除</translation>
    </message>
    <message numerus="yes">
        <source>Provider &quot;%1&quot; is used by %n target(s): %2.</source>
        <translation>
            <numerusform>提供商“%1”被 %n 个目标使用：%2。</numerusform>
        </translation>
    </message>
    <message>
        <source>Not removed. %1</source>
        <translation>未移除。%1</translation>
    </message>
    <message numerus="yes">
        <source>Removed provider &quot;%1&quot; and %n target(s) with it.</source>
        <translation>
            <numerusform>已移除提供商“%1”及其 %n 个目标。</numerusform>
        </translation>
    </message>
    <message>
        <source>Removed provider &quot;%1&quot;.</source>
        <translation>已移除提供商“%1”。</translation>
    </message>
    <message>
        <source>%1.id: duplicate provider id &quot;%2&quot;</source>
        <translation>%1.id：提供商 ID“%2”重复</translation>
    </message>
    <message>
        <source>e.g. .corp.example, 10.0.0.0/8, gpu-box:11434</source>
        <translation>例如 .corp.example, 10.0.0.0/8, gpu-box:11434</translation>
    </message>
    <message>
        <source>Hosts that never go through the proxy, besides those in no_proxy: names, .suffixes, IP addresses, CIDR blocks, host:port, or * for all. Comma-separated. This computer always goes direct.</source>
        <translation>除 no_proxy 中的主机外，从不经过代理的主机：名称、.后缀、IP 地址、CIDR 网段、host:port，或 * 表示全部。以逗号分隔。本机始终直连。</translation>
    </message>
    <message>
        <source>Hosts that bypass the proxy</source>
        <translation>绕过代理的主机</translation>
    </message>
    <message>
        <source>&amp;Bypass the proxy for:</source>
        <translation>对以下主机绕过代理(&amp;B)：</translation>
    </message>
</context>
<context>
    <name>Slopscope::ProxyCredentialsDialog</name>
    <message>
        <source>Proxy Authentication</source>
        <translation>代理身份验证</translation>
    </message>
    <message>
        <source>The proxy refused these credentials for the requests to %1. Enter them again.</source>
        <translation>代理拒绝了发往 %1 的请求所用的这些凭据。请重新输入。</translation>
    </message>
    <message>
        <source>The proxy asks for a user name and password before it forwards the requests to %1.</source>
        <translation>代理要求先提供用户名和密码，才会将请求转发到 %1。</translation>
    </message>
    <message>
        <source>Proxy user name</source>
        <translation>代理用户名</translation>
    </message>
    <message>
        <source>Proxy password</source>
        <translation>代理密码</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>Kept in memory until Slopscope quits; never saved. Run again (or retry the failed cells) to send the requests with them.</source>
        <translation>在 Slopscope 退出前保留在内存中；从不保存。请再次运行（或重试失败的单元格）以使用它们发送请求。</translation>
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
        <translation>%1：“%2”不是代理 URL（应为 http://host:port）</translation>
    </message>
    <message>
        <source>%1: %2: a proxy reached over TLS (https://) is not supported; use http://, the connection to the provider is still encrypted end to end</source>
        <translation>%1：%2：不支持通过 TLS (https://) 连接的代理；请使用 http://，与提供商的连接仍然是端到端加密的</translation>
    </message>
    <message>
        <source>%1: %2: unsupported proxy scheme &quot;%3&quot; (expected http:// or socks5://)</source>
        <translation>%1：%2：不支持的代理协议“%3”（应为 http:// 或 socks5://）</translation>
    </message>
    <message>
        <source>%1: %2: a proxy URL has no path</source>
        <translation>%1：%2：代理 URL 不能包含路径</translation>
    </message>
    <message>
        <source>%1: proxy credentials are secrets and are not read from workspace files; set them in https_proxy (http://user:password@host:port)</source>
        <translation>%1：代理凭据属于机密信息，不会从工作区文件中读取；请在 https_proxy 中设置（http://user:password@host:port）</translation>
    </message>
    <message>
        <source>direct</source>
        <translation>直连</translation>
    </message>
    <message>
        <source>via %1://%2:%3</source>
        <translation>经由 %1://%2:%3</translation>
    </message>
</context>
<context>
    <name>Slopscope::QuadrantChart</name>
    <message>
        <source>Price · speed · quality</source>
        <translation>价格 · 速度 · 质量</translation>
    </message>
    <message>
        <source>Cost per 1,000 cases (USD, log scale)</source>
        <translation>每 1,000 个用例的成本（USD，对数刻度）</translation>
    </message>
    <message>
        <source>Blended price per million tokens (USD, log scale)</source>
        <translation>每百万 token 混合价格（USD，对数刻度）</translation>
    </message>
    <message>
        <source>Median time to first token (ms)</source>
        <translation>首个 token 时间中位数（ms）</translation>
    </message>
    <message>
        <source>Decode speed (tokens/s)</source>
        <translation>解码速度（token/s）</translation>
    </message>
    <message>
        <source>95th percentile latency (ms)</source>
        <translation>第 95 百分位延迟（ms）</translation>
    </message>
    <message>
        <source>cheap &amp; good</source>
        <translation>便宜且好</translation>
    </message>
    <message>
        <source>expensive &amp; good</source>
        <translation>昂贵且好</translation>
    </message>
    <message>
        <source>fast &amp; good</source>
        <translation>快速且好</translation>
    </message>
    <message>
        <source>slow &amp; good</source>
        <translation>缓慢且好</translation>
    </message>
    <message>
        <source>cheap &amp; weak</source>
        <translation>便宜且弱</translation>
    </message>
    <message>
        <source>expensive &amp; weak</source>
        <translation>昂贵且弱</translation>
    </message>
    <message>
        <source>fast &amp; weak</source>
        <translation>快速且弱</translation>
    </message>
    <message>
        <source>slow &amp; weak</source>
        <translation>缓慢且弱</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source> (95% interval %1–%2%)</source>
        <translation> （95% 区间 %1–%2%）</translation>
    </message>
    <message>
        <source>%1
quality %2, n = %3
cost per 1,000 cases $%4
blended $%5 / Mtok
TTFT p50 %6 ms · p95 latency %7 ms
decode %8 tokens/s</source>
        <translation>%1
质量 %2，n = %3
每 1,000 个用例成本 $%4
混合价格 $%5 / Mtok
TTFT p50 %6 ms · p95 延迟 %7 ms
解码 %8 token/s</translation>
    </message>
    <message>
        <source>Quality (%)</source>
        <translation>质量 (%)</translation>
    </message>
    <message>
        <source>Pareto frontier</source>
        <translation>帕累托前沿</translation>
    </message>
    <message>
        <source>Slopscope quadrant</source>
        <translation>Slopscope 象限图</translation>
    </message>
    <message>
        <source>Unknown chart format &quot;%1&quot;: use .png, .svg or .pdf</source>
        <translation>未知图表格式 &quot;%1&quot;：请使用 .png、.svg 或 .pdf</translation>
    </message>
    <message>
        <source>Cannot write %1</source>
        <translation>无法写入 %1</translation>
    </message>
    <message>
        <source>Policy %1
%2
quality %3% (95% interval %4–%5%), n = %6
cost per 1,000 cases $%7
p95 latency %8 ms
escalated %9%</source>
        <translation>策略 %1
%2
质量 %3%（95% 区间 %4–%5%），n = %6
每 1,000 个用例的成本 $%7
p95 延迟 %8 ms
升级 %9%</translation>
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
        <translation>每 1,000 个用例的成本</translation>
    </message>
    <message>
        <source>Blended $/Mtok</source>
        <translation>混合价格 $/Mtok</translation>
    </message>
    <message>
        <source>Median TTFT</source>
        <translation>TTFT 中位数</translation>
    </message>
    <message>
        <source>Decode tokens/s</source>
        <translation>解码 token/s</translation>
    </message>
    <message>
        <source>p95 latency</source>
        <translation>p95 延迟</translation>
    </message>
    <message>
        <source>Quadrant x axis</source>
        <translation>象限图 x 轴</translation>
    </message>
    <message>
        <source>The figure along the horizontal axis: a price or a speed.</source>
        <translation>横轴上的指标：价格或速度。</translation>
    </message>
    <message>
        <source>Canonical only</source>
        <translation>仅标准措辞</translation>
    </message>
    <message>
        <source>Variants only</source>
        <translation>仅变体</translation>
    </message>
    <message>
        <source>Canonical and variants</source>
        <translation>标准措辞和变体</translation>
    </message>
    <message>
        <source>Quadrant quality</source>
        <translation>象限图质量</translation>
    </message>
    <message>
        <source>Fixed d&amp;ividers</source>
        <translation>固定分隔线(&amp;I)</translation>
    </message>
    <message>
        <source>Split the quadrant at your own thresholds instead of the lineup&apos;s medians.</source>
        <translation>按您自己的阈值而不是参与比较的目标的中位数划分象限。</translation>
    </message>
    <message>
        <source>Vertical divider position</source>
        <translation>垂直分隔线位置</translation>
    </message>
    <message>
        <source>Where the vertical divider sits, in the x axis&apos;s unit.</source>
        <translation>垂直分隔线所在的位置，以 x 轴的单位表示。</translation>
    </message>
    <message>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <source>Horizontal divider position</source>
        <translation>水平分隔线位置</translation>
    </message>
    <message>
        <source>The quality at which the horizontal divider sits.</source>
        <translation>水平分隔线所在的质量值。</translation>
    </message>
    <message>
        <source>&amp;X axis:</source>
        <translation>X 轴(&amp;X)：</translation>
    </message>
    <message>
        <source>&amp;Quality:</source>
        <translation>质量(&amp;Q)：</translation>
    </message>
    <message>
        <source>x &amp;at</source>
        <translation>x 位于(&amp;A)</translation>
    </message>
    <message>
        <source>q&amp;uality at</source>
        <translation>质量位于(&amp;U)</translation>
    </message>
    <message>
        <source>Quality, variants only (%)</source>
        <translation>质量，仅变体（%）</translation>
    </message>
    <message>
        <source>Quality, canonical and variants (%)</source>
        <translation>质量，标准措辞和变体（%）</translation>
    </message>
    <message>
        <source>Quality, canonical only (%)</source>
        <translation>质量，仅标准措辞（%）</translation>
    </message>
    <message>
        <source>Within time budget</source>
        <translation>在时间预算内</translation>
    </message>
    <message>
        <source>Which answers the quality counts: the suite&apos;s own wording, only the rewordings (run with Variants checked), or both; or the suite&apos;s own wording with an answer later than its case&apos;s time budget (the suite&apos;s time_budget_ms) counted as a failure.</source>
        <translation>质量统计哪些回答：测试集的原始措辞、仅改写版本（勾选“变体”运行），或两者；或测试集的原始措辞，但晚于其用例时间预算（测试集的 time_budget_ms）的回答计为失败。</translation>
    </message>
    <message>
        <source>Quality within budget (%)</source>
        <translation>时间预算内的质量（%）</translation>
    </message>
</context>
<context>
    <name>Slopscope::QuickCompareSession</name>
    <message>
        <source>the answer was cut off before its end</source>
        <translation>回答在结束前被截断</translation>
    </message>
    <message>
        <source>the provider stopped before the answer was complete</source>
        <translation>提供商在回答完成前停止了</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>the request failed</source>
        <translation>请求失败</translation>
    </message>
    <message>
        <source>The last prompt is still being answered: wait for it or stop it first.</source>
        <translation>上一个提示词仍在回答中：请等待其完成或先停止它。</translation>
    </message>
    <message>
        <source>Type a prompt first.</source>
        <translation>请先输入提示词。</translation>
    </message>
    <message>
        <source>Check at least one target.</source>
        <translation>请至少勾选一个目标。</translation>
    </message>
    <message>
        <source>Quick compare</source>
        <translation>快速比较</translation>
    </message>
    <message>
        <source>The workspace has no target &quot;%1&quot;.</source>
        <translation>工作区中没有目标“%1”。</translation>
    </message>
    <message>
        <source>There is no exchange %1 in this chat.</source>
        <translation>此对话中没有交互 %1。</translation>
    </message>
    <message>
        <source>The target &quot;%1&quot; did not take part in exchange %2.</source>
        <translation>目标“%1”未参与交互 %2。</translation>
    </message>
    <message>
        <source>This chat has spent $%1, its spend cap of $%2: raise the cap or start a new chat.</source>
        <translation>此聊天已花费 $%1，达到花费上限 $%2：请提高上限或开始新聊天。</translation>
    </message>
    <message>
        <source>stopped: %1</source>
        <translation>已停止：%1</translation>
    </message>
</context>
<context>
    <name>Slopscope::QuickCompareView</name>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>New chat: type a prompt below and press Ctrl+Enter.</source>
        <translation>新对话：在下方输入提示词，然后按 Ctrl+Enter。</translation>
    </message>
    <message>
        <source>Type a prompt below and press Ctrl+Enter to send it to every checked target.</source>
        <translation>在下方输入提示词并按 Ctrl+Enter，即可发送给每个已勾选的目标。</translation>
    </message>
    <message>
        <source>Exchange:</source>
        <translation>交互:</translation>
    </message>
    <message>
        <source>Exchange to save</source>
        <translation>要保存的交互</translation>
    </message>
    <message>
        <source>as seen by</source>
        <translation>视角</translation>
    </message>
    <message>
        <source>Target whose conversation is saved</source>
        <translation>保存其对话的目标</translation>
    </message>
    <message>
        <source>its answer as reference</source>
        <translation>将其回答作为参考答案</translation>
    </message>
    <message>
        <source>Save as Suite Case</source>
        <translation>保存为测试集用例</translation>
    </message>
    <message>
        <source>Adds this exchange, with the conversation before it, to the selected suite</source>
        <translation>将此交互及其之前的对话添加到所选测试集</translation>
    </message>
    <message>
        <source>vs</source>
        <translation>对比</translation>
    </message>
    <message>
        <source>Target whose answer is diffed</source>
        <translation>比较其回答的目标</translation>
    </message>
    <message>
        <source>Diff</source>
        <translation>差异</translation>
    </message>
    <message>
        <source>Shows the two answers to this exchange side by side, the differing words marked</source>
        <translation>并排显示此交互的两个回答，并标出不同的词语</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <source>Optional: instructions every target gets first (sent with every turn)</source>
        <translation>可选：每个目标最先收到的指令（每轮都会发送）</translation>
    </message>
    <message>
        <source>Ask every checked target… (Ctrl+Enter sends)</source>
        <translation>向每个已勾选的目标提问…（按 Ctrl+Enter 发送）</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>Attach Text File…</source>
        <translation>附加文本文件…</translation>
    </message>
    <message>
        <source>Plain-text files up to %1, folded into the prompt with their names</source>
        <translation>不超过 %1 的纯文本文件，连同文件名一起并入提示词</translation>
    </message>
    <message>
        <source>New Chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Send to every checked target (Ctrl+Enter)</source>
        <translation>发送给每个已勾选的目标 (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Attach Text File</source>
        <translation>附加文本文件</translation>
    </message>
    <message>
        <source>Text files (*.txt *.md *.csv *.json *.log *.xml *.yaml *.yml);;All files (*)</source>
        <translation>文本文件 (*.txt *.md *.csv *.json *.log *.xml *.yaml *.yml);;所有文件 (*)</translation>
    </message>
    <message>
        <source>%1  ✕</source>
        <translation>%1  ✕</translation>
    </message>
    <message>
        <source>Remove %1 from the prompt</source>
        <translation>从提示词中移除 %1</translation>
    </message>
    <message>
        <source>▶ You: %1</source>
        <translation>▶ 您：%1</translation>
    </message>
    <message>
        <source>(attached: %1)</source>
        <translation>（已附加：%1）</translation>
    </message>
    <message>
        <source>[Not part of the conversation (%1): the next turns were sent to this target without this exchange.]</source>
        <translation>[不属于对话 (%1)：后续轮次已在不含此交互的情况下发送给此目标。]</translation>
    </message>
    <message>
        <source>Turn %1: %2</source>
        <translation>第 %1 轮：%2</translation>
    </message>
    <message numerus="yes">
        <source>Sending turn %1 to %n target(s)…</source>
        <translation>
            <numerusform>正在将第 %1 轮发送给 %n 个目标…</numerusform>
        </translation>
    </message>
    <message>
        <source>attempt %1</source>
        <translation>第 %1 次尝试</translation>
    </message>
    <message>
        <source>[%1 This answer stays out of the conversation: the next turn is sent to this target without this exchange.]</source>
        <translation>[%1 此回答不计入对话：下一轮将在不含此交互的情况下发送给此目标。]</translation>
    </message>
    <message>
        <source>spent $%1 in this chat</source>
        <translation>本次对话已花费 $%1</translation>
    </message>
    <message>
        <source>Turn %1 answered. %2</source>
        <translation>第 %1 轮已回答。%2</translation>
    </message>
    <message numerus="yes">
        <source>Turn %1: %n answer(s) incomplete. %2</source>
        <translation>
            <numerusform>第 %1 轮：%n 个回答不完整。%2</numerusform>
        </translation>
    </message>
    <message>
        <source>%1. %2</source>
        <translation>%1。%2</translation>
    </message>
    <message>
        <source>New chat.</source>
        <translation>新对话。</translation>
    </message>
    <message>
        <source>Stopped: %1; %2</source>
        <translation>已停止：%1；%2</translation>
    </message>
</context>
<context>
    <name>Slopscope::RatedCellDelegate</name>
    <message>
        <source>Rated: %1</source>
        <translation>评分：%1</translation>
    </message>
    <message>
        <source>Rated: %1 — %2</source>
        <translation>评分：%1 — %2</translation>
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
        <translation>您的评分</translation>
    </message>
    <message>
        <source>Your rating:</source>
        <translation>您的评分：</translation>
    </message>
    <message>
        <source>Pass</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>The answer passes (key P)</source>
        <translation>回答通过（按键 P）</translation>
    </message>
    <message>
        <source>Fail</source>
        <translation>未通过</translation>
    </message>
    <message>
        <source>The answer fails (key F)</source>
        <translation>回答未通过（按键 F）</translation>
    </message>
    <message>
        <source>%1★</source>
        <translation>%1★</translation>
    </message>
    <message numerus="yes">
        <source>%n star(s) of 5 (key %n)</source>
        <translation>
            <numerusform>%n 星，满分 5 星（按键 %n）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n star(s)</source>
        <translation>
            <numerusform>%n 星</numerusform>
        </translation>
    </message>
    <message>
        <source>Rating note</source>
        <translation>评分备注</translation>
    </message>
    <message>
        <source>Note (optional, Enter saves)</source>
        <translation>备注（可选，按 Enter 保存）</translation>
    </message>
    <message>
        <source>An optional note; Enter saves it with the chosen rating</source>
        <translation>可选备注；按 Enter 会将其与所选评分一起保存</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Take back the last rating of this answer</source>
        <translation>撤回对此回答的最后一次评分</translation>
    </message>
    <message>
        <source>How often your pass/fail matches the judge&apos;s on the answers both graded (4 stars and up count as a pass); Cohen&apos;s kappa corrects for chance</source>
        <translation>在您和评审都评过的回答上，您的通过/未通过与评审一致的频率（4 星及以上算作通过）；Cohen&apos;s kappa 会校正偶然一致</translation>
    </message>
    <message>
        <source>Choose Pass, Fail or stars first: the note is saved with them.</source>
        <translation>请先选择通过、未通过或星级：备注会与之一起保存。</translation>
    </message>
</context>
<context>
    <name>Slopscope::RatingBook</name>
    <message>
        <source>pass</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>fail</source>
        <translation>未通过</translation>
    </message>
    <message>
        <source>[★%1]</source>
        <comment>a matrix cell&apos;s human rating in stars</comment>
        <translation>[★%1]</translation>
    </message>
    <message>
        <source>[pass]</source>
        <comment>a matrix cell&apos;s human rating</comment>
        <translation>[通过]</translation>
    </message>
    <message>
        <source>[fail]</source>
        <comment>a matrix cell&apos;s human rating</comment>
        <translation>[未通过]</translation>
    </message>
    <message>
        <source>Ratings could not be read, cells show as unrated: %1</source>
        <translation>无法读取评分，单元格显示为未评分：%1</translation>
    </message>
</context>
<context>
    <name>Slopscope::ResultMatrixModel</name>
    <message>
        <source>completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>stopped early</source>
        <translation>提前停止</translation>
    </message>
    <message>
        <source>truncated</source>
        <translation>已截断</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>(empty answer)</source>
        <translation>（空回答）</translation>
    </message>
    <message>
        <source>%1 %2/%3 · %4 · %5</source>
        <translation>%1 %2/%3 · %4 · %5</translation>
    </message>
    <message>
        <source>%1 · case %2</source>
        <translation>%1 · 用例 %2</translation>
    </message>
    <message>
        <source> · variant %1</source>
        <translation> · 变体 %1</translation>
    </message>
    <message>
        <source>Score %1 · %2/%3 passed</source>
        <translation>得分 %1 · 通过 %2/%3</translation>
    </message>
    <message>
        <source>Repeat %1: score %2</source>
        <translation>第 %1 次重复：得分 %2</translation>
    </message>
    <message>
        <source>  %1: %2</source>
        <translation>  %1：%2</translation>
    </message>
    <message>
        <source>  %1 %2 — %3</source>
        <translation>  %1 %2 — %3</translation>
    </message>
    <message numerus="yes">
        <source>…and %n more repeat(s)</source>
        <translation>
            <numerusform>……还有 %n 次重复</numerusform>
        </translation>
    </message>
    <message>
        <source>Tags: %1</source>
        <translation>标签：%1</translation>
    </message>
    <message>
        <source>No answer yet</source>
        <translation>尚无回答</translation>
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
        <translation>仅显示未通过(&amp;F)</translation>
    </message>
    <message>
        <source>Show only the cases where some answer did not pass</source>
        <translation>仅显示有回答未通过的用例</translation>
    </message>
    <message>
        <source>&amp;Tag</source>
        <translation>标签(&amp;T)</translation>
    </message>
    <message>
        <source>Tag filter</source>
        <translation>标签筛选</translation>
    </message>
    <message>
        <source>&amp;Wording</source>
        <translation>措辞(&amp;W)</translation>
    </message>
    <message>
        <source>Wording filter</source>
        <translation>措辞筛选</translation>
    </message>
    <message>
        <source>Canonical and variants</source>
        <translation>标准措辞和变体</translation>
    </message>
    <message>
        <source>Canonical only</source>
        <translation>仅标准措辞</translation>
    </message>
    <message>
        <source>Variants only</source>
        <translation>仅变体</translation>
    </message>
    <message>
        <source>Results matrix</source>
        <translation>结果矩阵</translation>
    </message>
    <message>
        <source>All tags</source>
        <translation>所有标签</translation>
    </message>
    <message>
        <source>✓ all passed   ◐ some   ✗ none   … awaiting judge   [pass] [★4] your rating</source>
        <translation>✓ 全部通过   ◐ 部分通过   ✗ 均未通过   … 等待评审   [通过] [★4] 您的评分</translation>
    </message>
    <message>
        <source>No history is recorded: ratings are kept for this session only.</source>
        <translation>未记录历史：评分仅在本次会话中保留。</translation>
    </message>
    <message numerus="yes">
        <source>Agreement with the judge: %1% (Cohen&apos;s κ %2) over %n rated answer(s)</source>
        <translation>
            <numerusform>与评审的一致率：%1%（Cohen κ %2），基于 %n 个已评分回答</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Slopscope::RoutingComparisonModel</name>
    <message>
        <source>single target</source>
        <translation>单个目标</translation>
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
        <translation>已记录 %1 / 预言机 %2</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>%1 answers, %2 verdicts</source>
        <translation>回答 %1 个，裁决 %2 个</translation>
    </message>
    <message>
        <source>Select the row to list what is missing below the table.</source>
        <translation>选择该行即可在表格下方列出缺少的内容。</translation>
    </message>
    <message>
        <source>On %1 case(s); %2 replay(s) left out for missing data, %3 without a score.</source>
        <translation>基于 %1 个用例；%2 次重放因缺少数据被排除，%3 次没有分数。</translation>
    </message>
    <message>
        <source>%1 replay(s) of unknown cost: no total is shown rather than a partial one.</source>
        <translation>%1 次重放的成本未知：不显示部分合计，而是不显示合计。</translation>
    </message>
    <message>
        <source>Policy / target</source>
        <translation>策略 / 目标</translation>
    </message>
    <message>
        <source>Route</source>
        <translation>路由</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>质量</translation>
    </message>
    <message>
        <source>95% interval</source>
        <translation>95% 区间</translation>
    </message>
    <message>
        <source>$ / 1,000 cases</source>
        <translation>$ / 1,000 个用例</translation>
    </message>
    <message>
        <source>p50 latency</source>
        <translation>p50 延迟</translation>
    </message>
    <message>
        <source>p95 latency</source>
        <translation>p95 延迟</translation>
    </message>
    <message>
        <source>Escalated</source>
        <translation>已升级</translation>
    </message>
    <message>
        <source>Verdicts</source>
        <translation>裁决</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>缺失</translation>
    </message>
</context>
<context>
    <name>Slopscope::RoutingDialog</name>
    <message>
        <source>answer   case %1, repeat %2: %3</source>
        <translation>回答  用例 %1，重复 %2：%3</translation>
    </message>
    <message>
        <source>verdict  case %1, repeat %2: %3 on %4&apos;s answer</source>
        <translation>裁决  用例 %1，重复 %2：%3 对 %4 的回答</translation>
    </message>
    <message>
        <source>Routing Policies</source>
        <translation>路由策略</translation>
    </message>
    <message>
        <source>No finished run to replay yet: run a suite, or open one from File ▸ History.</source>
        <translation>还没有可重放的已完成运行：请运行一个测试集，或从 文件 ▸ 历史记录 打开一个。</translation>
    </message>
    <message>
        <source>Policies</source>
        <translation>策略</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>添加(&amp;A)</translation>
    </message>
    <message>
        <source>Cascade</source>
        <translation>级联</translation>
    </message>
    <message>
        <source>By Tag</source>
        <translation>按标签</translation>
    </message>
    <message>
        <source>Best of N</source>
        <translation>N 选最佳</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>移除(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Load…</source>
        <translation>加载(&amp;L)…</translation>
    </message>
    <message>
        <source>&amp;Save…</source>
        <translation>保存(&amp;S)…</translation>
    </message>
    <message>
        <source>Replace the list with the policies of a policy file (docs/ROUTING.md).</source>
        <translation>用策略文件中的策略替换列表（docs/ROUTING.md）。</translation>
    </message>
    <message>
        <source>Selected policy</source>
        <translation>所选策略</translation>
    </message>
    <message>
        <source>A&amp;pply</source>
        <translation>应用(&amp;P)</translation>
    </message>
    <message>
        <source>Comparison: every row replayed over the same recorded cells</source>
        <translation>比较：每一行都在相同的已记录单元上重放</translation>
    </message>
    <message>
        <source>Search the lineup</source>
        <translation>在阵容中搜索</translation>
    </message>
    <message>
        <source>&amp;Find</source>
        <translation>查找(&amp;F)</translation>
    </message>
    <message>
        <source>F&amp;ind</source>
        <translation>查找(&amp;I)</translation>
    </message>
    <message>
        <source>Cheapest policy with quality at least</source>
        <translation>质量不低于此值的最便宜策略</translation>
    </message>
    <message>
        <source>Best quality at a cost per 1,000 cases of at most</source>
        <translation>每 1,000 个用例成本不超过此值时的最佳质量</translation>
    </message>
    <message>
        <source>Missing for the selected row</source>
        <translation>所选行缺少的内容</translation>
    </message>
    <message>
        <source>Replaying %1: %2 on %3 target(s), %4 recorded cell(s). Nothing is sent.</source>
        <translation>正在重放%1：%2，%3 个目标，%4 个已记录单元。不会发送任何请求。</translation>
    </message>
    <message>
        <source>Select a row of the table.</source>
        <translation>请选择表格中的一行。</translation>
    </message>
    <message>
        <source>%1: nothing missing; every replay is complete.</source>
        <translation>%1：没有缺失；每次重放都完整。</translation>
    </message>
    <message>
        <source>policy</source>
        <translation>策略</translation>
    </message>
    <message>
        <source>cascade</source>
        <translation>级联</translation>
    </message>
    <message>
        <source>by tag</source>
        <translation>按标签</translation>
    </message>
    <message>
        <source>best of N</source>
        <translation>N 选最佳</translation>
    </message>
    <message>
        <source>Added &quot;%1&quot;: edit it and press Apply.</source>
        <translation>已添加“%1”：编辑后按“应用”。</translation>
    </message>
    <message>
        <source>Another policy is already called &quot;%1&quot;.</source>
        <translation>已有另一个名为“%1”的策略。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; replayed.</source>
        <translation>已重放“%1”。</translation>
    </message>
    <message>
        <source>Cannot load the policies: %1</source>
        <translation>无法加载策略：%1</translation>
    </message>
    <message>
        <source>Cannot save the policies: %1</source>
        <translation>无法保存策略：%1</translation>
    </message>
    <message>
        <source>Load Routing Policies</source>
        <translation>加载路由策略</translation>
    </message>
    <message>
        <source>Routing policies (*.json);;All files (*)</source>
        <translation>路由策略 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Save Routing Policies</source>
        <translation>保存路由策略</translation>
    </message>
    <message>
        <source>Routing policies (*.json)</source>
        <translation>路由策略 (*.json)</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <source>The run changed during the search: ask again.</source>
        <translation>搜索期间运行已改变：请重新查询。</translation>
    </message>
    <message>
        <source>None of the %1 policies considered meets it (with a known cost and quality).</source>
        <translation>所考虑的 %1 个策略中没有满足条件的（成本和质量均已知）。</translation>
    </message>
    <message>
        <source>Answer, out of %1 policies: &quot;%2&quot; (selected in the list and the table).</source>
        <translation>从 %1 个策略中得到的答案：“%2”（已在列表和表格中选中）。</translation>
    </message>
    <message numerus="yes">
        <source>Loaded %n policy(ies) from %1.</source>
        <translation>
            <numerusform>已从 %1 加载 %n 个策略。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saved %n policy(ies) to %1.</source>
        <translation>
            <numerusform>已将 %n 个策略保存到 %1。</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Fetch What Is Missing…</source>
        <translation>获取缺失项(&amp;F)…</translation>
    </message>
    <message>
        <source>Send only the answers and validator verdicts the policies&apos; replays lack, and record them into this run</source>
        <translation>只发送策略回放缺少的回答和验证者判定，并记录到此运行中</translation>
    </message>
    <message>
        <source>No replay lacks anything that can be fetched.</source>
        <translation>没有回放缺少可以获取的内容。</translation>
    </message>
    <message>
        <source>They are recorded into this run, which keeps everything it already has.</source>
        <translation>它们会记录到此运行中，已有的内容全部保留。</translation>
    </message>
    <message>
        <source>Fetch What Is Missing</source>
        <translation>获取缺失项</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>pick     case %1, repeat %2: %3 over %4</source>
        <translation>选择     用例 %1，重复 %2：%3 从 %4 中选择</translation>
    </message>
    <message numerus="yes">
        <source>Send %n answer request(s),</source>
        <translation>
            <numerusform>发送 %n 个回答请求，</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>ask for %n validator verdict(s)</source>
        <translation>
            <numerusform>请求 %n 个验证者判定</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>and %n best-of-N pick(s)?</source>
        <translation>
            <numerusform>以及 %n 个 best-of-N 选择？</numerusform>
        </translation>
    </message>
    <message>
        <source>A pick asks the judge twice, the answers&apos; positions swapped.</source>
        <translation>一次选择会询问评审两次，回答的位置互换。</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) cannot be fetched: answers of targets the run did not compare.</source>
        <translation>
            <numerusform>%n 项无法获取：本次运行未比较的目标的回答。</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2 answer(s) and %3 verdict(s) or pick(s) missing; %4 replay(s) left out.</source>
        <translation>%1：缺少 %2 个回答和 %3 个判定或选择；%4 次重放被略过。</translation>
    </message>
</context>
<context>
    <name>Slopscope::RoutingPolicyEditor</name>
    <message>
        <source>Cascade: draft, validate, escalate</source>
        <translation>级联：起草、验证、升级</translation>
    </message>
    <message>
        <source>By tag: route by the case&apos;s tags</source>
        <translation>按标签：根据用例的标签路由</translation>
    </message>
    <message>
        <source>Best of N: a judge picks one answer</source>
        <translation>N 选最佳：由评审挑选一个回答</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>名称(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Description</source>
        <translation>说明(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Kind</source>
        <translation>类型(&amp;K)</translation>
    </message>
    <message>
        <source>Target answers</source>
        <translation>回答的目标</translation>
    </message>
    <message>
        <source>Validator</source>
        <translation>验证者</translation>
    </message>
    <message>
        <source>Keep at score ≥</source>
        <translation>保留分数 ≥</translation>
    </message>
    <message>
        <source>Each stage&apos;s answer is kept when its validator&apos;s score reaches the threshold; otherwise the next stage answers. The oracle reads the answer&apos;s own recorded grade: free, and an upper bound on a real validator.</source>
        <translation>当验证者的分数达到阈值时保留该阶段的回答，否则由下一阶段回答。预言机读取回答本身已记录的评分：免费，是真实验证者的上限。</translation>
    </message>
    <message>
        <source>Add Stage</source>
        <translation>添加阶段</translation>
    </message>
    <message>
        <source>Remove Stage</source>
        <translation>移除阶段</translation>
    </message>
    <message>
        <source>Cases tagged</source>
        <translation>带此标签的用例</translation>
    </message>
    <message>
        <source>go to</source>
        <translation>发送到</translation>
    </message>
    <message>
        <source>Add Rule</source>
        <translation>添加规则</translation>
    </message>
    <message>
        <source>Remove Rule</source>
        <translation>移除规则</translation>
    </message>
    <message>
        <source>All other cases go to</source>
        <translation>其他所有用例发送到</translation>
    </message>
    <message>
        <source>Candidates (all answer; check two or more):</source>
        <translation>候选（全部回答；勾选两个或更多）：</translation>
    </message>
    <message>
        <source>Judge picks one</source>
        <translation>由评审挑选一个</translation>
    </message>
    <message>
        <source>%1 (not in this run)</source>
        <translation>%1（不在本次运行中）</translation>
    </message>
    <message>
        <source>oracle (the answer&apos;s own grade)</source>
        <translation>预言机（回答本身的评分）</translation>
    </message>
    <message>
        <source>%1 (recorded verdicts)</source>
        <translation>%1（已记录的裁决）</translation>
    </message>
    <message>
        <source>%1 (no verdicts recorded)</source>
        <translation>%1（未记录裁决）</translation>
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
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>⚠ %1</source>
        <translation>⚠ %1</translation>
    </message>
    <message>
        <source>Target %1 was not in this run.</source>
        <translation>目标 %1 不在此运行中。</translation>
    </message>
    <message>
        <source>Significantly worse than the first run: the 95% intervals do not overlap.</source>
        <translation>显著差于第一次运行：95% 区间不重叠。</translation>
    </message>
    <message>
        <source>Significantly better than the first run: the 95% intervals do not overlap.</source>
        <translation>显著优于第一次运行：95% 区间不重叠。</translation>
    </message>
    <message>
        <source>Not significant: the 95% intervals overlap, so the change may be noise.</source>
        <translation>不显著：95% 区间重叠，变化可能只是噪声。</translation>
    </message>
    <message numerus="yes">
        <source>Mean score over %n case(s); the range is a 95% bootstrap interval.</source>
        <translation>
            <numerusform>%n 个用例的平均得分；范围为 95% bootstrap 区间。</numerusform>
        </translation>
    </message>
    <message>
        <source>The provider reported %1 here but %2 in the run before: the model may have been swapped without notice.</source>
        <translation>提供商在此处报告为 %1，但在上一次运行中为 %2：模型可能已被悄然替换。</translation>
    </message>
    <message>
        <source>The model the provider reported; configured: %1</source>
        <translation>提供商报告的模型；配置为：%1</translation>
    </message>
    <message>
        <source>Mean cost of one case.</source>
        <translation>单个用例的平均成本。</translation>
    </message>
    <message numerus="yes">
        <source>Unknown: %n answer(s) had no known price.</source>
        <translation>
            <numerusform>未知：%n 个回答没有已知价格。</numerusform>
        </translation>
    </message>
    <message>
        <source>Answers that did not complete, of those recorded.</source>
        <translation>已记录的回答中未完成的部分。</translation>
    </message>
    <message>
        <source>Target %1: the reported model changed between these runs.</source>
        <translation>目标 %1：报告的模型在这些运行之间发生了变化。</translation>
    </message>
    <message>
        <source>Target %1</source>
        <translation>目标 %1</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Run %1 of %2, the baseline the others are compared with.</source>
        <translation>运行 %1（%2），其他运行与之比较的基准。</translation>
    </message>
    <message>
        <source>Run %1 of %2</source>
        <translation>运行 %1（%2）</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>质量</translation>
    </message>
    <message>
        <source>TTFT</source>
        <translation>TTFT</translation>
    </message>
    <message>
        <source>Decode</source>
        <translation>解码</translation>
    </message>
    <message>
        <source>Cost/case</source>
        <translation>成本/用例</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Reported model</source>
        <translation>报告的模型</translation>
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
        <translation>%1（基准）</translation>
    </message>
</context>
<context>
    <name>Slopscope::RunComparisonView</name>
    <message>
        <source>Compare Runs</source>
        <translation>比较运行</translation>
    </message>
    <message>
        <source>Each run against the oldest one. Bold ▼/▲ on a tint: a significant change (the 95% intervals do not overlap); ≈: within the noise. ⚠: the provider reported another model than in the run before, a sign of a silent model swap. —: unknown.</source>
        <translation>每次运行均与最早的运行比较。着色背景上的粗体 ▼/▲：显著变化（95% 区间不重叠）；≈：在噪声范围内。⚠：提供商报告的模型与上一次运行不同，表明模型可能被悄然替换。—：未知。</translation>
    </message>
    <message>
        <source>Targets across the compared runs</source>
        <translation>所比较运行中的目标</translation>
    </message>
    <message>
        <source>Show &amp;Drift…</source>
        <translation>显示漂移(&amp;D)…</translation>
    </message>
    <message>
        <source>The selected target across every recorded run (Enter)</source>
        <translation>所选目标在所有已记录运行中的表现 (Enter)</translation>
    </message>
    <message>
        <source>No run %1 in the history.</source>
        <translation>历史记录中没有运行 %1。</translation>
    </message>
    <message>
        <source>Reading the history…</source>
        <translation>正在读取历史记录…</translation>
    </message>
    <message>
        <source>Cannot compare the runs: %1</source>
        <translation>无法比较运行：%1</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) compared, %1.</source>
        <translation>
            <numerusform>已比较 %n 次运行，%1。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n target(s)</source>
        <translation>
            <numerusform>%n 个目标</numerusform>
        </translation>
    </message>
    <message>
        <source>fewer than two suite runs are selected (quick-compare exchanges are not compared).</source>
        <translation>选中的测试集运行少于两个（快速比较的对话不参与比较）。</translation>
    </message>
</context>
<context>
    <name>Slopscope::RunListModel</name>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>已中断</translation>
    </message>
    <message numerus="yes">
        <source>%n result(s) without a known price are not counted.</source>
        <translation>
            <numerusform>%n 个价格未知的结果未计入。</numerusform>
        </translation>
    </message>
    <message>
        <source>Run %1</source>
        <translation>运行 %1</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>$%1</source>
        <translation>$%1</translation>
    </message>
    <message>
        <source>%1 (resumed)</source>
        <translation>%1（已恢复）</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Suite</source>
        <translation>测试集</translation>
    </message>
    <message>
        <source>Targets</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Answers</source>
        <translation>回答</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>成本</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Quick compare</source>
        <translation>快速比较</translation>
    </message>
    <message numerus="yes">
        <source>%1 (one prompt sent to %n target(s)): %2</source>
        <translation>
            <numerusform>%1（一个提示词发送至 %n 个目标）：%2</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
</context>
<context>
    <name>Slopscope::RunRecorder</name>
    <message numerus="yes">
        <source>Disk full: %n result(s) waiting to be saved</source>
        <translation>
            <numerusform>磁盘已满：%n 个结果等待保存</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saving is behind: %n result(s) waiting to be saved</source>
        <translation>
            <numerusform>保存滞后：%n 个结果等待保存</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Slopscope::RunScheduler</name>
    <message>
        <source>A run is already going</source>
        <translation>已有运行正在进行</translation>
    </message>
    <message>
        <source>Job %1 names the unknown provider &quot;%2&quot;</source>
        <translation>作业 %1 指定了未知的提供商 &quot;%2&quot;</translation>
    </message>
    <message>
        <source>Job ids must be unique and not empty (&quot;%1&quot;)</source>
        <translation>作业 id 必须唯一且不能为空（&quot;%1&quot;）</translation>
    </message>
    <message>
        <source>No run is going to add jobs to</source>
        <translation>没有正在进行的运行可添加作业</translation>
    </message>
    <message>
        <source>rate limit used up (provider headers)</source>
        <translation>速率限制已用尽（提供商响应头）</translation>
    </message>
    <message>
        <source>resuming in %1</source>
        <translation>%1 后恢复</translation>
    </message>
    <message>
        <source>rate-limited, %1</source>
        <translation>受速率限制，%1</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1，%2</translation>
    </message>
    <message numerus="yes">
        <source>(gave up after %n attempt(s))</source>
        <translation>
            <numerusform>（尝试 %n 次后放弃）</numerusform>
        </translation>
    </message>
    <message>
        <source>Not sent: provider %1 stopped after an error no retry can fix: %2</source>
        <translation>未发送：提供商 %1 因无法通过重试解决的错误而停止：%2</translation>
    </message>
    <message numerus="yes">
        <source>too many failures: %n retries in the last %1</source>
        <translation>
            <numerusform>失败过多：最近 %1 内重试了 %n 次</numerusform>
        </translation>
    </message>
    <message>
        <source>offline — waiting for the network</source>
        <translation>离线 — 正在等待网络</translation>
    </message>
    <message>
        <source>rate-limited</source>
        <translation>已限速</translation>
    </message>
</context>
<context>
    <name>Slopscope::RunSession</name>
    <message>
        <source>The workspace has no target &quot;%1&quot;.</source>
        <translation>工作区中没有目标“%1”。</translation>
    </message>
    <message>
        <source>No target is selected.</source>
        <translation>未选择任何目标。</translation>
    </message>
    <message>
        <source>The suite has no case to run.</source>
        <translation>测试集中没有可运行的用例。</translation>
    </message>
    <message>
        <source>Repeats must be at least 1.</source>
        <translation>重复次数至少为 1。</translation>
    </message>
    <message>
        <source>A run is already going.</source>
        <translation>已有运行正在进行。</translation>
    </message>
    <message>
        <source>Every cell of this run is already answered; there is nothing to resume.</source>
        <translation>此运行的每个单元格均已有回答；没有可恢复的内容。</translation>
    </message>
    <message>
        <source>The workspace has no target &quot;%1&quot; to be the judge.</source>
        <translation>工作区中没有可作为评审的目标 &quot;%1&quot;。</translation>
    </message>
    <message>
        <source>The judge &quot;%1&quot; names the unknown provider &quot;%2&quot;.</source>
        <translation>评审 &quot;%1&quot; 指定了未知的提供商 &quot;%2&quot;。</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>spend cap of $%1 reached</source>
        <translation>已达到 $%1 的支出上限</translation>
    </message>
    <message>
        <source>the run ended before the judge answered</source>
        <translation>运行在评审作答之前已结束</translation>
    </message>
    <message>
        <source>no judge</source>
        <translation>无评审</translation>
    </message>
    <message>
        <source>waiting for the other targets&apos; answers</source>
        <translation>正在等待其他目标的回答</translation>
    </message>
    <message>
        <source>llm-rubric needs a rubric (the assertion&apos;s value)</source>
        <translation>llm-rubric 需要评分标准（断言的值）</translation>
    </message>
    <message>
        <source>factuality needs a reference (the assertion&apos;s value or the case&apos;s reference)</source>
        <translation>factuality 需要参考答案（断言的值或用例的参考答案）</translation>
    </message>
    <message>
        <source>waiting for the judge</source>
        <translation>正在等待评审</translation>
    </message>
    <message>
        <source>the run stopped before the judge was asked</source>
        <translation>运行在询问评审之前已停止</translation>
    </message>
    <message>
        <source>select-best needs at least two answers</source>
        <translation>select-best 至少需要两个回答</translation>
    </message>
    <message>
        <source>the judge call was cancelled</source>
        <translation>评审调用已取消</translation>
    </message>
    <message>
        <source>the judge request failed: %1</source>
        <translation>评审请求失败：%1</translation>
    </message>
    <message>
        <source>no complete answer</source>
        <translation>没有完整回答</translation>
    </message>
    <message>
        <source>%1 was picked: %2</source>
        <translation>选中了 %1：%2</translation>
    </message>
    <message>
        <source>first ask picked %1, swapped ask picked %2</source>
        <translation>首次询问选中了 %1，交换后询问选中了 %2</translation>
    </message>
    <message>
        <source>The workspace has no usable target &quot;%1&quot; to be the validator.</source>
        <translation>工作区没有可用作验证者的目标“%1”。</translation>
    </message>
    <message>
        <source>%1: no complete answer is recorded to judge</source>
        <translation>%1：没有记录可供判定的完整回答</translation>
    </message>
    <message>
        <source>%1: the case has no rubric and no reference to judge the answer against</source>
        <translation>%1：该用例既没有评分标准也没有参考答案可用来判定回答</translation>
    </message>
    <message>
        <source>%1: nothing the validator could be asked</source>
        <translation>%1：没有可以请求验证者的内容</translation>
    </message>
    <message>
        <source>The workspace has no usable target &quot;%1&quot; to be the judge.</source>
        <translation>工作区没有可作为评审的可用目标“%1”。</translation>
    </message>
    <message>
        <source>the answers to compare are gone</source>
        <translation>要比较的回答已不存在</translation>
    </message>
    <message>
        <source>%1: no complete answers to one case are recorded to compare</source>
        <translation>%1：没有记录同一用例的完整回答可供比较</translation>
    </message>
    <message>
        <source>the run ended before the code tests ran</source>
        <translation>运行在代码测试执行前已结束</translation>
    </message>
    <message>
        <source>not: %1</source>
        <translation>非：%1</translation>
    </message>
    <message>
        <source>no code block in the answer</source>
        <translation>回答中没有代码块</translation>
    </message>
    <message>
        <source>the run stopped before the code tests ran</source>
        <translation>运行在代码测试执行前已停止</translation>
    </message>
    <message>
        <source>waiting for the code tests</source>
        <translation>正在等待代码测试</translation>
    </message>
    <message>
        <source>the run was cancelled before the code tests finished</source>
        <translation>运行在代码测试完成前被取消</translation>
    </message>
    <message>
        <source>not compared: %1, whose chain did not answer turn %2</source>
        <translation>未比较：%1，其链未回答第 %2 轮</translation>
    </message>
</context>
<context>
    <name>Slopscope::SessionKeyStore</name>
    <message>
        <source>this session only</source>
        <translation>仅限本次会话</translation>
    </message>
</context>
<context>
    <name>Slopscope::SettingsDialog</name>
    <message>
        <source>Preferences</source>
        <translation>首选项</translation>
    </message>
    <message>
        <source>&amp;Keys</source>
        <translation>密钥(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;Appearance</source>
        <translation>外观(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Providers</source>
        <translation>提供商(&amp;P)</translation>
    </message>
</context>
<context>
    <name>Slopscope::SingleInstance</name>
    <message>
        <source>Cannot write the instance lock %1: permission denied</source>
        <translation>无法写入实例锁 %1：权限被拒绝</translation>
    </message>
    <message>
        <source>Cannot write the instance lock %1</source>
        <translation>无法写入实例锁 %1</translation>
    </message>
</context>
<context>
    <name>Slopscope::StoreWriter</name>
    <message>
        <source>The history file %1 does not exist; open it with HistoryStore first.</source>
        <translation>历史文件 %1 不存在；请先用 HistoryStore 打开它。</translation>
    </message>
    <message>
        <source>Cannot open %1 for writing: %2</source>
        <translation>无法以写入方式打开 %1：%2</translation>
    </message>
    <message>
        <source>Cannot prepare %1 for writing: %2</source>
        <translation>无法准备写入 %1：%2</translation>
    </message>
    <message>
        <source>%1 has history schema %2, but this version of Slopscope writes schema %3.</source>
        <translation>%1 的历史 schema 为 %2，但此版本的 Slopscope 写入的是 schema %3。</translation>
    </message>
    <message numerus="yes">
        <source>%n operation(s) could not be saved to %1 before closing.</source>
        <translation>
            <numerusform>关闭前有 %n 个操作无法保存到 %1。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The history file %1 is locked by another program; waiting to save %n result(s).</source>
        <translation>
            <numerusform>历史文件 %1 被其他程序锁定；正在等待保存 %n 个结果。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The disk holding %1 is full (or the history reached its size limit). %n finished result(s) are kept in memory and saving is retried; free some space.</source>
        <translation>
            <numerusform>存放 %1 的磁盘已满（或历史记录已达到大小上限）。%n 个已完成的结果保留在内存中，将重试保存；请释放一些空间。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 has become read-only; %n result(s) are kept in memory and saving is retried.</source>
        <translation>
            <numerusform>%1 已变为只读；%n 个结果保留在内存中，将重试保存。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saving to %1 failed (%2); %n result(s) are kept in memory and saving is retried.</source>
        <translation>
            <numerusform>保存到 %1 失败（%2）；%n 个结果保留在内存中，将重试保存。</numerusform>
        </translation>
    </message>
    <message>
        <source>An entry could not be saved to %1 and was dropped: %2</source>
        <translation>有一个条目无法保存到 %1，已丢弃：%2</translation>
    </message>
    <message>
        <source>no run %1 in the history</source>
        <translation>历史记录中没有运行 %1</translation>
    </message>
</context>
<context>
    <name>Slopscope::StreamHandler</name>
    <message>
        <source>response exceeded %1</source>
        <translation>响应超过了 %1</translation>
    </message>
    <message numerus="yes">
        <source>connection lost after %n content event(s): %1</source>
        <translation>
            <numerusform>在 %n 个内容事件后连接断开：%1</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 redirected the request (HTTP %2) to %3; redirects are not followed, so the key is not sent elsewhere. Check the provider&apos;s base URL</source>
        <translation>%1 将请求重定向（HTTP %2）到 %3；不会跟随重定向，因此密钥不会被发送到别处。请检查该提供商的基础 URL</translation>
    </message>
    <message>
        <source>an unnamed location</source>
        <translation>未命名位置</translation>
    </message>
    <message>
        <source>%1 sent no HTTP response</source>
        <translation>%1 未发送 HTTP 响应</translation>
    </message>
    <message>
        <source>No decoder for %1 responses</source>
        <translation>没有用于 %1 响应的解码器</translation>
    </message>
    <message>
        <source>HTTP %1</source>
        <translation>HTTP %1</translation>
    </message>
    <message>
        <source>%1 from %2</source>
        <translation>来自 %2 的 %1</translation>
    </message>
    <message>
        <source>%1 from %2: %3</source>
        <translation>来自 %2 的 %1：%3</translation>
    </message>
    <message numerus="yes">
        <source>the provider reported an error after %n content event(s): %1</source>
        <translation>
            <numerusform>在 %n 个内容事件后提供商报告错误：%1</numerusform>
        </translation>
    </message>
    <message>
        <source>the provider reported an error: %1</source>
        <translation>提供商报告错误：%1</translation>
    </message>
    <message>
        <source>the provider stopped early (%1)</source>
        <translation>提供商提前停止（%1）</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>未给出原因</translation>
    </message>
    <message numerus="yes">
        <source>stream ended without its end marker after %n content event(s)</source>
        <translation>
            <numerusform>在 %n 个内容事件后数据流结束，但没有结束标记</numerusform>
        </translation>
    </message>
    <message>
        <source>stream ended without any content or end marker</source>
        <translation>数据流结束，既无内容也无结束标记</translation>
    </message>
    <message>
        <source>%1 sent a response that could not be read: %2</source>
        <translation>%1 发送了无法读取的响应：%2</translation>
    </message>
</context>
<context>
    <name>Slopscope::StreamPane</name>
    <message>
        <source>idle</source>
        <translation>空闲</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <source>waiting for first token</source>
        <translation>正在等待首个 token</translation>
    </message>
    <message>
        <source>streaming</source>
        <translation>正在流式传输</translation>
    </message>
    <message>
        <source>retrying</source>
        <translation>正在重试</translation>
    </message>
    <message>
        <source>done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>truncated</source>
        <translation>已截断</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>TTFT %1 ms · %2 tok/s · %3 tokens · cost %4</source>
        <translation>TTFT %1 ms · %2 tok/s · %3 个 token · 成本 %4</translation>
    </message>
    <message>
        <source>Tokens per second estimated from characters: the provider reported no usage.</source>
        <translation>每秒 token 数根据字符数估算：提供商未报告用量。</translation>
    </message>
    <message numerus="yes">
        <source>Reasoning (%n character(s))</source>
        <translation>
            <numerusform>推理（%n 个字符）</numerusform>
        </translation>
    </message>
    <message>
        <source>Chain so far</source>
        <translation>目前的对话链</translation>
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
        <translation>没有正在运行的用例。</translation>
    </message>
</context>
<context>
    <name>Slopscope::SuiteCaseModel</name>
    <message>
        <source>(no id)</source>
        <translation>（无 ID）</translation>
    </message>
    <message>
        <source>The suite has no cases.</source>
        <translation>测试集没有用例。</translation>
    </message>
    <message>
        <source>The suite has no name.</source>
        <translation>测试集没有名称。</translation>
    </message>
    <message>
        <source>Case %1 (%2): %3</source>
        <translation>用例 %1 (%2)：%3</translation>
    </message>
    <message>
        <source>the id is empty</source>
        <translation>ID 为空</translation>
    </message>
    <message>
        <source>duplicate case id &quot;%1&quot;</source>
        <translation>用例 ID“%1”重复</translation>
    </message>
</context>
<context>
    <name>Slopscope::SuiteDefaultsForm</name>
    <message>
        <source>Every case of the suite starts from these.</source>
        <translation>测试集的每个用例都以这些为起点。</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <source>Sent first with every case; {{name}} is filled from the case&apos;s variables.</source>
        <translation>随每个用例首先发送；{{name}} 由用例的变量填充。</translation>
    </message>
    <message>
        <source>&amp;System prompt</source>
        <translation>系统提示词(&amp;S)</translation>
    </message>
    <message>
        <source>Params</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Request parameters for every case, e.g. {&quot;temperature&quot;: 0}</source>
        <translation>每个用例的请求参数，例如 {&quot;temperature&quot;: 0}</translation>
    </message>
    <message>
        <source>&amp;Params</source>
        <translation>参数(&amp;P)</translation>
    </message>
    <message>
        <source>default params</source>
        <translation>默认参数</translation>
    </message>
    <message>
        <source>Default assertions</source>
        <translation>默认断言</translation>
    </message>
    <message>
        <source>Default asse&amp;rtions</source>
        <translation>默认断言(&amp;R)</translation>
    </message>
    <message>
        <source>default assertions</source>
        <translation>默认断言</translation>
    </message>
    <message>
        <source>Default time budget</source>
        <translation>默认时间预算</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>The time budget of every case without its own; 0 for none</source>
        <translation>未设置自身时间预算的用例所用的时间预算；0 表示无</translation>
    </message>
    <message>
        <source>Default time &amp;budget</source>
        <translation>默认时间预算(&amp;B)</translation>
    </message>
    <message>
        <source>default time budget</source>
        <translation>默认时间预算</translation>
    </message>
    <message>
        <source>Default assertions: %1</source>
        <translation>默认断言：%1</translation>
    </message>
    <message>
        <source>Change %1</source>
        <translation>更改%1</translation>
    </message>
    <message>
        <source>default system prompt</source>
        <translation>默认系统提示词</translation>
    </message>
    <message>
        <source>Suite description</source>
        <translation>测试集说明</translation>
    </message>
    <message>
        <source>What the suite measures, for whoever runs it next.</source>
        <translation>该测试集衡量什么，供之后运行它的人参考。</translation>
    </message>
    <message>
        <source>&amp;Description</source>
        <translation>说明(&amp;D)</translation>
    </message>
    <message>
        <source>suite description</source>
        <translation>测试集说明</translation>
    </message>
</context>
<context>
    <name>Slopscope::SuiteEditor</name>
    <message>
        <source>Suite name</source>
        <translation>测试集名称</translation>
    </message>
    <message>
        <source>Rename suite</source>
        <translation>重命名测试集</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>用例</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>添加(&amp;A)</translation>
    </message>
    <message>
        <source>Add a case after the selected one</source>
        <translation>在所选用例之后添加用例</translation>
    </message>
    <message>
        <source>D&amp;uplicate</source>
        <translation>复制(&amp;U)</translation>
    </message>
    <message>
        <source>Duplicate the selected case</source>
        <translation>复制所选用例</translation>
    </message>
    <message>
        <source>Remo&amp;ve</source>
        <translation>删除(&amp;V)</translation>
    </message>
    <message>
        <source>Remove the selected case</source>
        <translation>删除所选用例</translation>
    </message>
    <message>
        <source>▲</source>
        <translation>▲</translation>
    </message>
    <message>
        <source>Move the case up</source>
        <translation>上移用例</translation>
    </message>
    <message>
        <source>▼</source>
        <translation>▼</translation>
    </message>
    <message>
        <source>Move the case down</source>
        <translation>下移用例</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Add case %1</source>
        <translation>添加用例 %1</translation>
    </message>
    <message>
        <source>Duplicate case %1</source>
        <translation>复制用例 %1</translation>
    </message>
    <message>
        <source>Remove case %1</source>
        <translation>删除用例 %1</translation>
    </message>
    <message>
        <source>Move case %1</source>
        <translation>移动用例 %1</translation>
    </message>
    <message>
        <source>Change case %1</source>
        <translation>更改用例 %1</translation>
    </message>
    <message>
        <source>&amp;Case</source>
        <translation>用例(&amp;C)</translation>
    </message>
    <message>
        <source>Varia&amp;nts</source>
        <translation>变体(&amp;N)</translation>
    </message>
    <message>
        <source>Suite de&amp;faults</source>
        <translation>测试集默认值(&amp;F)</translation>
    </message>
    <message>
        <source>Varia&amp;nts (%1)</source>
        <translation>变体(&amp;N)（%1）</translation>
    </message>
    <message>
        <source>Suite defaults: %1</source>
        <translation>测试集默认值：%1</translation>
    </message>
    <message>
        <source>Change the suite defaults</source>
        <translation>更改测试集默认值</translation>
    </message>
</context>
<context>
    <name>Slopscope::TargetListWidget</name>
    <message>
        <source>price unknown</source>
        <translation>价格未知</translation>
    </message>
    <message>
        <source>$%1 / $%2 per Mtok</source>
        <translation>每 Mtok $%1 / $%2</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>提供商</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Price (in / out)</source>
        <translation>价格（输入 / 输出）</translation>
    </message>
</context>
<context>
    <name>Slopscope::TargetSettingsForm</name>
    <message>
        <source>Price (US$ per million tokens)</source>
        <translation>价格（每百万令牌，US$）</translation>
    </message>
    <message>
        <source>&amp;Input:</source>
        <translation>输入(&amp;I):</translation>
    </message>
    <message>
        <source>&amp;Output:</source>
        <translation>输出(&amp;O):</translation>
    </message>
    <message>
        <source>&amp;Cached input:</source>
        <translation>缓存输入(&amp;C):</translation>
    </message>
    <message>
        <source>Cache &amp;write:</source>
        <translation>缓存写入(&amp;W):</translation>
    </message>
    <message>
        <source>Reaso&amp;ning:</source>
        <translation>推理(&amp;N):</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>provider default</source>
        <translation>提供商默认值</translation>
    </message>
    <message>
        <source>&amp;Temperature:</source>
        <translation>温度(&amp;T):</translation>
    </message>
    <message>
        <source>&amp;Max tokens:</source>
        <translation>最大令牌数(&amp;M):</translation>
    </message>
    <message>
        <source>&amp;Reasoning effort:</source>
        <translation>推理强度(&amp;R):</translation>
    </message>
    <message>
        <source>Target %1 (%2 on %3)</source>
        <translation>目标 %1（%3 上的 %2）</translation>
    </message>
    <message>
        <source>No price catalogue: an empty price is unknown.</source>
        <translation>无价格目录：空价格视为未知。</translation>
    </message>
    <message>
        <source>“%1” is not in the price catalogue of %2: an empty price is unknown.</source>
        <translation>“%1”不在 %2 的价格目录中：空价格视为未知。</translation>
    </message>
    <message>
        <source>Empty fields take the price catalogue of %1 (%2), for short prompts; a value you enter overrides it.</source>
        <translation>空字段采用 %1（%2）的价格目录（适用于短提示）；您输入的值将覆盖它。</translation>
    </message>
    <message>
        <source>Empty fields take the price catalogue of %1 (%2); a value you enter overrides it.</source>
        <translation>空字段采用 %1（%2）的价格目录；您输入的值将覆盖它。</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>%1.price: “%2” is not a number</source>
        <translation>%1.price：“%2”不是数字</translation>
    </message>
    <message>
        <source>%1.params.temperature: “%2” is not a number</source>
        <translation>%1.params.temperature：“%2”不是数字</translation>
    </message>
    <message>
        <source>overrides the catalogue (%1)</source>
        <translation>覆盖价格目录（%1）</translation>
    </message>
    <message>
        <source>set here</source>
        <translation>在此设置</translation>
    </message>
    <message>
        <source>from the catalogue</source>
        <translation>来自价格目录</translation>
    </message>
</context>
<context>
    <name>Slopscope::VariantsEditor</name>
    <message>
        <source>Variant &amp;list</source>
        <translation>变体列表(&amp;L)</translation>
    </message>
    <message>
        <source>Variants</source>
        <translation>变体</translation>
    </message>
    <message>
        <source>A&amp;dd variant</source>
        <translation>添加变体(&amp;D)</translation>
    </message>
    <message>
        <source>Add a variant of the case, starting from its prompt</source>
        <translation>添加用例的变体，以其提示词为起点</translation>
    </message>
    <message>
        <source>Duplicate as &amp;paraphrase</source>
        <translation>复制为改写(&amp;P)</translation>
    </message>
    <message>
        <source>Copy the selected variant (or the case) as a paraphrase to reword</source>
        <translation>将所选变体（或用例）复制为改写版本，以便重新措辞</translation>
    </message>
    <message>
        <source>Remove varian&amp;t</source>
        <translation>移除变体(&amp;T)</translation>
    </message>
    <message>
        <source>Variant id</source>
        <translation>变体 ID</translation>
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
        <translation>变体类型</translation>
    </message>
    <message>
        <source>How the variant differs from the case; any word, or empty</source>
        <translation>变体与用例的差异；任意词语，或留空</translation>
    </message>
    <message>
        <source>&amp;Kind</source>
        <translation>类型(&amp;K)</translation>
    </message>
    <message>
        <source>kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Variant prompt</source>
        <translation>变体提示词</translation>
    </message>
    <message>
        <source>The same question, asked differently; {{name}} is filled from the variables.</source>
        <translation>同一问题的不同问法；{{name}} 由变量填充。</translation>
    </message>
    <message>
        <source>Variant messages</source>
        <translation>变体消息</translation>
    </message>
    <message>
        <source>messages</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Pro&amp;mpt</source>
        <translation>提示词(&amp;M)</translation>
    </message>
    <message>
        <source>Variable overrides</source>
        <translation>变量覆盖</translation>
    </message>
    <message>
        <source>Replace the case&apos;s variables of the same name for this variant</source>
        <translation>在此变体中替换用例的同名变量</translation>
    </message>
    <message>
        <source>Variable &amp;overrides</source>
        <translation>变量覆盖(&amp;O)</translation>
    </message>
    <message>
        <source>variable overrides</source>
        <translation>变量覆盖</translation>
    </message>
    <message>
        <source>Variant reference answer</source>
        <translation>变体参考答案</translation>
    </message>
    <message>
        <source>Empty: the case&apos;s reference</source>
        <translation>留空：使用用例的参考答案</translation>
    </message>
    <message>
        <source>&amp;Reference</source>
        <translation>参考(&amp;R)</translation>
    </message>
    <message>
        <source>Variant %1: %2</source>
        <translation>变体 %1：%2</translation>
    </message>
    <message>
        <source>Change %1 of variant %2 of case %3</source>
        <translation>更改用例 %3 中变体 %2 的%1</translation>
    </message>
    <message>
        <source>Add variant %1 to case %2</source>
        <translation>向用例 %2 添加变体 %1</translation>
    </message>
    <message>
        <source>Duplicate %1 as paraphrase %2 in case %3</source>
        <translation>在用例 %3 中将 %1 复制为改写 %2</translation>
    </message>
    <message>
        <source>Remove variant %1 from case %2</source>
        <translation>从用例 %2 中移除变体 %1</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>&amp;Messages</source>
        <translation>消息(&amp;M)</translation>
    </message>
    <message>
        <source>prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>reference</source>
        <translation>参考答案</translation>
    </message>
    <message>
        <source>O&amp;wn assertions instead of the case&apos;s</source>
        <translation>使用自己的断言而非用例的断言(&amp;W)</translation>
    </message>
    <message>
        <source>Variant assertions</source>
        <translation>变体断言</translation>
    </message>
    <message>
        <source>assertions</source>
        <translation>断言</translation>
    </message>
</context>
<context>
    <name>Slopscope::VarsEditor</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Add variable</source>
        <translation>添加变量</translation>
    </message>
    <message>
        <source>Remove variable</source>
        <translation>移除变量</translation>
    </message>
    <message>
        <source>Variable %1 has a value but no name</source>
        <translation>变量 %1 有值但没有名称</translation>
    </message>
    <message>
        <source>The variable &quot;%1&quot; is named twice</source>
        <translation>变量“%1”重复命名</translation>
    </message>
</context>
<context>
    <name>StoreBackups</name>
    <message>
        <source>Cannot copy %1 to %2: %3</source>
        <translation>无法将 %1 复制到 %2：%3</translation>
    </message>
    <message>
        <source>Cannot create the backup folder %1.</source>
        <translation>无法创建备份文件夹 %1。</translation>
    </message>
    <message>
        <source>Cannot finish the backup %1.</source>
        <translation>无法完成备份 %1。</translation>
    </message>
</context>
<context>
    <name>StoreSchema</name>
    <message>
        <source>Cannot read the schema version of %1: %2</source>
        <translation>无法读取 %1 的 schema 版本：%2</translation>
    </message>
    <message>
        <source>%1 was written by a newer version of Slopscope (history schema %2; this version knows up to %3). It can be opened read-only; to change it, update Slopscope.</source>
        <translation>%1 由更新版本的 Slopscope 写入（历史 schema %2；此版本最高支持 %3）。可以只读方式打开；如需修改，请更新 Slopscope。</translation>
    </message>
    <message>
        <source>Cannot back up %1 to %2 before upgrading it: %3</source>
        <translation>升级前无法将 %1 备份到 %2：%3</translation>
    </message>
    <message>
        <source>No migration to history schema %1.</source>
        <translation>没有到历史 schema %1 的迁移。</translation>
    </message>
    <message>
        <source>Cannot upgrade %1 to history schema %2: %3</source>
        <translation>无法将 %1 升级到历史 schema %2：%3</translation>
    </message>
    <message>
        <source>the history has no identity row</source>
        <translation>历史记录没有标识行</translation>
    </message>
</context>
<context>
    <name>StreamDecoder</name>
    <message>
        <source>A single event of the response exceeded %1 MiB; the stream was abandoned.</source>
        <translation>响应中的单个事件超过了 %1 MiB；已放弃该数据流。</translation>
    </message>
    <message>
        <source>The response exceeded %1 MiB; the stream was abandoned.</source>
        <translation>响应超过了 %1 MiB；已放弃该数据流。</translation>
    </message>
    <message>
        <source>The response was not valid JSON: %1</source>
        <translation>响应不是有效的 JSON：%1</translation>
    </message>
    <message>
        <source>The response was not valid JSON: an event could not be parsed.</source>
        <translation>响应不是有效的 JSON：无法解析某个事件。</translation>
    </message>
</context>
<context>
    <name>Suite</name>
    <message>
        <source>a suite must be a JSON object</source>
        <translation>测试集必须是 JSON 对象</translation>
    </message>
    <message>
        <source>a list of cases is required</source>
        <translation>需要用例列表</translation>
    </message>
    <message>
        <source>the suite has no cases</source>
        <translation>测试集中没有用例</translation>
    </message>
    <message>
        <source>duplicate case id &quot;%1&quot;</source>
        <translation>用例 ID“%1”重复</translation>
    </message>
    <message>
        <source>unknown key (expected one of: %1)</source>
        <translation>未知的键（应为以下之一：%1）</translation>
    </message>
    <message>
        <source>missing (a string is required)</source>
        <translation>缺失（需要字符串）</translation>
    </message>
    <message>
        <source>expected a string</source>
        <translation>应为字符串</translation>
    </message>
    <message>
        <source>expected a non-empty list of messages</source>
        <translation>应为非空的消息列表</translation>
    </message>
    <message>
        <source>expected an object with &quot;role&quot; and &quot;content&quot;</source>
        <translation>应为包含 &quot;role&quot; 和 &quot;content&quot; 的对象</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a role (system, user or assistant)</source>
        <translation>&quot;%1&quot; 不是角色（system、user 或 assistant）</translation>
    </message>
    <message>
        <source>expected a list of assertions</source>
        <translation>应为断言列表</translation>
    </message>
    <message>
        <source>expected an object with a &quot;type&quot;</source>
        <translation>应为包含 &quot;type&quot; 的对象</translation>
    </message>
    <message>
        <source>unknown assertion type &quot;%1&quot;</source>
        <translation>未知的断言类型 &quot;%1&quot;</translation>
    </message>
    <message>
        <source>expected a number</source>
        <translation>应为数字</translation>
    </message>
    <message>
        <source>expected a number of at least 0</source>
        <translation>应为不小于 0 的数字</translation>
    </message>
    <message>
        <source>expected an object of names and values</source>
        <translation>应为由名称和值组成的对象</translation>
    </message>
    <message>
        <source>expected a string or a number</source>
        <translation>应为字符串或数字</translation>
    </message>
    <message>
        <source>expected an object</source>
        <translation>应为对象</translation>
    </message>
    <message>
        <source>unknown variable {{%1}}</source>
        <translation>未知变量 {{%1}}</translation>
    </message>
    <message>
        <source>give either &quot;prompt&quot; or &quot;messages&quot;, not both</source>
        <translation>请指定 &quot;prompt&quot; 或 &quot;messages&quot; 之一，不能同时指定</translation>
    </message>
    <message>
        <source>a &quot;prompt&quot; or a list of &quot;messages&quot; is required</source>
        <translation>需要 &quot;prompt&quot; 或 &quot;messages&quot; 列表</translation>
    </message>
    <message>
        <source>the prompt is empty</source>
        <translation>提示词为空</translation>
    </message>
    <message>
        <source>the id is empty</source>
        <translation>ID 为空</translation>
    </message>
    <message>
        <source>expected a list of strings</source>
        <translation>应为字符串列表</translation>
    </message>
    <message>
        <source>expected a list of variants</source>
        <translation>应为变体列表</translation>
    </message>
    <message>
        <source>duplicate variant id &quot;%1&quot;</source>
        <translation>重复的变体 id &quot;%1&quot;</translation>
    </message>
    <message>
        <source>%1: the file is UTF-16; save it as UTF-8</source>
        <translation>%1：文件为 UTF-16 编码；请另存为 UTF-8</translation>
    </message>
    <message>
        <source>Cannot open suite %1: %2</source>
        <translation>无法打开测试集 %1：%2</translation>
    </message>
    <message>
        <source>expected a whole number of milliseconds above 0</source>
        <translation>应为大于 0 的毫秒整数</translation>
    </message>
    <message>
        <source>%1:%2:%3: invalid UTF-8 at byte offset %4 (byte 0x%5); save the file as UTF-8</source>
        <translation>%1:%2:%3：字节偏移 %4 处的 UTF-8 无效（字节 0x%5）；请将文件保存为 UTF-8</translation>
    </message>
    <message>
        <source>%1: the suite is too large (%2 MiB; limit %3 MiB)</source>
        <translation>%1：测试集过大（%2 MiB；上限 %3 MiB）</translation>
    </message>
    <message>
        <source>expected a non-empty list of tool results</source>
        <translation>应为非空的工具结果列表</translation>
    </message>
    <message>
        <source>expected an object with a &quot;tool&quot;, a &quot;kind&quot; and a &quot;content&quot;</source>
        <translation>应为包含 &quot;tool&quot;、&quot;kind&quot; 和 &quot;content&quot; 的对象</translation>
    </message>
    <message>
        <source>the tool name is empty (use &quot;*&quot; for any tool)</source>
        <translation>工具名称为空（使用 &quot;*&quot; 表示任意工具）</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a kind of tool result (result, error, missing or interrupt)</source>
        <translation>“%1”不是工具结果类型（result、error、missing 或 interrupt）</translation>
    </message>
    <message>
        <source>missing (a string, or the JSON the tool returns)</source>
        <translation>缺失（字符串，或工具返回的 JSON）</translation>
    </message>
    <message>
        <source>expected a string (what the user says)</source>
        <translation>应为字符串（用户所说的话）</translation>
    </message>
    <message>
        <source>expected a string, an object or a list</source>
        <translation>应为字符串、对象或列表</translation>
    </message>
    <message>
        <source>an interrupt needs what the user says as its content</source>
        <translation>interrupt 需要以用户所说的话作为其内容</translation>
    </message>
    <message>
        <source>expected a non-empty list of turns</source>
        <translation>应为非空的轮次列表</translation>
    </message>
    <message>
        <source>expected an object with a &quot;user&quot; message</source>
        <translation>应为包含 &quot;user&quot; 消息的对象</translation>
    </message>
    <message>
        <source>the user message is empty</source>
        <translation>用户消息为空</translation>
    </message>
    <message>
        <source>expected a whole number from 1 to 100</source>
        <translation>应为 1 到 100 之间的整数</translation>
    </message>
    <message>
        <source>expected a list of tools</source>
        <translation>应为工具列表</translation>
    </message>
    <message>
        <source>expected an object with a &quot;name&quot;</source>
        <translation>应为包含 &quot;name&quot; 的对象</translation>
    </message>
    <message>
        <source>the name is empty</source>
        <translation>名称为空</translation>
    </message>
    <message>
        <source>duplicate tool name &quot;%1&quot;</source>
        <translation>工具名称“%1”重复</translation>
    </message>
    <message>
        <source>expected a JSON Schema object</source>
        <translation>应为 JSON Schema 对象</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not one of the tools offered</source>
        <translation>&quot;%1&quot; 不在提供的工具之列</translation>
    </message>
    <message>
        <source>expected true or false</source>
        <translation>应为 true 或 false</translation>
    </message>
    <message>
        <source>the case offers no tools (add &quot;tools&quot; to it or to the defaults)</source>
        <translation>该用例未提供工具（请在用例或默认设置中添加 &quot;tools&quot;）</translation>
    </message>
</context>
<context>
    <name>SuiteWriter</name>
    <message>
        <source>Cannot save the suite to %1: %2</source>
        <translation>无法将测试集保存到 %1：%2</translation>
    </message>
</context>
<context>
    <name>TextAttachment</name>
    <message>
        <source>&quot;%1&quot; is not a file that can be read.</source>
        <translation>“%1”不是可读取的文件。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is %2; attachments are limited to %3 of text.</source>
        <translation>“%1”的大小为 %2；附件文本上限为 %3。</translation>
    </message>
    <message>
        <source>Cannot read &quot;%1&quot;: %2</source>
        <translation>无法读取“%1”：%2</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not plain text (it holds binary data); only text files can be attached.</source>
        <translation>“%1”不是纯文本（包含二进制数据）；只能附加文本文件。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not UTF-8 text; only plain-text files in UTF-8 can be attached.</source>
        <translation>“%1”不是 UTF-8 文本；只能附加 UTF-8 编码的纯文本文件。</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <source>corrupt timeline blob at byte %1: %2</source>
        <translation>时间线数据块在第 %1 字节处损坏：%2</translation>
    </message>
    <message>
        <source>truncated</source>
        <translation>已截断</translation>
    </message>
    <message>
        <source>integer out of range</source>
        <translation>整数超出范围</translation>
    </message>
    <message>
        <source>not a timeline (bad magic)</source>
        <translation>不是时间线（魔数错误）</translation>
    </message>
    <message>
        <source>unsupported version %1</source>
        <translation>不支持的版本 %1</translation>
    </message>
    <message>
        <source>unknown flags 0x%1</source>
        <translation>未知标志 0x%1</translation>
    </message>
    <message>
        <source>chunk count %1 exceeds the data</source>
        <translation>数据块数 %1 超出数据范围</translation>
    </message>
    <message>
        <source>unknown content kind %1</source>
        <translation>未知内容类型 %1</translation>
    </message>
</context>
<context>
    <name>ToolChoice</name>
    <message>
        <source>expected &quot;auto&quot;, &quot;none&quot;, &quot;required&quot; or {&quot;name&quot;: &quot;&lt;tool&gt;&quot;}, not &quot;%1&quot;</source>
        <translation>应为 &quot;auto&quot;、&quot;none&quot;、&quot;required&quot; 或 {&quot;name&quot;: &quot;&lt;tool&gt;&quot;}，而不是 &quot;%1&quot;</translation>
    </message>
    <message>
        <source>expected &quot;auto&quot;, &quot;none&quot;, &quot;required&quot; or {&quot;name&quot;: &quot;&lt;tool&gt;&quot;}</source>
        <translation>应为 &quot;auto&quot;、&quot;none&quot;、&quot;required&quot; 或 {&quot;name&quot;: &quot;&lt;tool&gt;&quot;}</translation>
    </message>
    <message>
        <source>unknown field; a forced tool takes only &quot;name&quot;</source>
        <translation>未知字段；强制工具只接受 &quot;name&quot;</translation>
    </message>
    <message>
        <source>expected the name of an offered tool as a string</source>
        <translation>应为字符串形式的已提供工具名称</translation>
    </message>
    <message>
        <source>the name is empty</source>
        <translation>名称为空</translation>
    </message>
</context>
<context>
    <name>Workspace</name>
    <message>
        <source>%1: a price cannot be negative</source>
        <translation>%1：价格不能为负数</translation>
    </message>
    <message>
        <source>%1: expected an object</source>
        <translation>%1：应为对象</translation>
    </message>
    <message>
        <source>%1: API keys are never read from workspace files; name an environment variable with &quot;api_key_env&quot; or store the key in the keychain</source>
        <translation>%1：从不从工作区文件中读取 API 密钥；请用 &quot;api_key_env&quot; 指定环境变量，或将密钥存入密钥链</translation>
    </message>
    <message>
        <source>%1: unknown dialect &quot;%2&quot; (expected openai-chat, openai-responses, anthropic, gemini or ollama)</source>
        <translation>%1：未知方言 &quot;%2&quot;（应为 openai-chat、openai-responses、anthropic、gemini 或 ollama）</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is not an http(s) URL</source>
        <translation>%1：&quot;%2&quot; 不是 http(s) URL</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is not a colour of the form #rrggbb</source>
        <translation>%1：&quot;%2&quot; 不是 #rrggbb 格式的颜色</translation>
    </message>
    <message>
        <source>%1: temperature must be between 0 and 2</source>
        <translation>%1：temperature 必须介于 0 和 2 之间</translation>
    </message>
    <message>
        <source>%1: a workspace must be a JSON object</source>
        <translation>%1：工作区必须是 JSON 对象</translation>
    </message>
    <message>
        <source>%1.id: duplicate provider id &quot;%2&quot;</source>
        <translation>%1.id：提供商 ID“%2”重复</translation>
    </message>
    <message>
        <source>%1.id: duplicate target id &quot;%2&quot;</source>
        <translation>%1.id：重复的目标 id &quot;%2&quot;</translation>
    </message>
    <message>
        <source>%1.provider: no provider with id &quot;%2&quot;</source>
        <translation>%1.provider：没有 id 为 &quot;%2&quot; 的提供商</translation>
    </message>
    <message>
        <source>Cannot open workspace %1: %2</source>
        <translation>无法打开工作区 %1：%2</translation>
    </message>
    <message>
        <source>%1.id: a provider needs an id</source>
        <translation>%1.id: 提供商需要 id</translation>
    </message>
    <message>
        <source>%1.id: a target needs an id</source>
        <translation>%1.id: 目标需要 id</translation>
    </message>
    <message>
        <source>%1.model: a target needs a model</source>
        <translation>%1.model: 目标需要模型</translation>
    </message>
    <message>
        <source>%1.params.max_tokens: must be between 1 and %2</source>
        <translation>%1.params.max_tokens: 必须介于 1 和 %2 之间</translation>
    </message>
    <message>
        <source>No target with id &quot;%1&quot;</source>
        <translation>没有 id 为 &quot;%1&quot; 的目标</translation>
    </message>
    <message>
        <source>%1: not a proxy URL (expected &quot;none&quot; or http://host:port)</source>
        <translation>%1：不是代理 URL（应为 &quot;none&quot; 或 http://host:port）</translation>
    </message>
    <message>
        <source>%1: proxy credentials are secrets and are not read from workspace files; set them in https_proxy (http://user:password@host:port)</source>
        <translation>%1：代理凭据属于机密信息，不会从工作区文件中读取；请在 https_proxy 中设置（http://user:password@host:port）</translation>
    </message>
    <message>
        <source>%1.%2: expected a string, or {&quot;secret&quot;: &quot;NAME&quot;} naming an environment variable or keychain entry that holds the value</source>
        <translation>%1.%2：应为字符串，或为指定保存该值的环境变量或钥匙串条目的 {&quot;secret&quot;: &quot;NAME&quot;}</translation>
    </message>
    <message>
        <source>Cannot save the workspace to %1: %2</source>
        <translation>无法将工作区保存到 %1：%2</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is not a header name (letters, digits and !#$%&amp;&apos;*+-.^_`|~ only)</source>
        <translation>%1：“%2”不是标头名称（仅限字母、数字和 !#$%&amp;&apos;*+-.^_`|~）</translation>
    </message>
    <message>
        <source>%1.%2: a header value cannot contain a line break</source>
        <translation>%1.%2：标头值不能包含换行符</translation>
    </message>
    <message>
        <source>%1.%2: name the keychain entry or environment variable that holds the value</source>
        <translation>%1.%2：请指定保存该值的钥匙串条目或环境变量名称</translation>
    </message>
    <message>
        <source>%1.%2: is both a plain and a secret header; keep one</source>
        <translation>%1.%2：同时是普通标头和机密标头；请保留其一</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>%1 is larger than 1 MB; expected PEM certificates</source>
        <translation>%1 大于 1 MB；应为 PEM 证书</translation>
    </message>
    <message>
        <source>%1 holds no PEM certificate</source>
        <translation>%1 不包含 PEM 证书</translation>
    </message>
    <message>
        <source>%1: an empty entry</source>
        <translation>%1：空条目</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is one host, suffix, address or block (no spaces or commas)</source>
        <translation>%1：“%2”应为单个主机、后缀、地址或网段（不含空格或逗号）</translation>
    </message>
    <message>
        <source>%1: expected a string</source>
        <translation>%1：应为字符串</translation>
    </message>
</context>
<context>
    <name>cli</name>
    <message>
        <source>%1: %2 provider(s), %3 target(s)</source>
        <translation>%1：%2 个提供商，%3 个目标</translation>
    </message>
    <message>
        <source>Unknown command &quot;%1&quot;.</source>
        <translation>未知命令 &quot;%1&quot;。</translation>
    </message>
    <message>
        <source>Runs the Slopscope provider simulator: simulated OpenAI, Anthropic, Gemini and Ollama endpoints on one port. Every model it serves is simulated.</source>
        <translation>运行 Slopscope 提供商模拟器：在一个端口上提供模拟的 OpenAI、Anthropic、Gemini 和 Ollama 端点。它提供的所有模型均为模拟。</translation>
    </message>
    <message>
        <source>TCP port (0 picks a free one).</source>
        <translation>TCP 端口（0 表示自动选择空闲端口）。</translation>
    </message>
    <message>
        <source>N</source>
        <translation>N</translation>
    </message>
    <message>
        <source>Personas file instead of the bundled lineup.</source>
        <translation>用于替代内置阵容的角色文件。</translation>
    </message>
    <message>
        <source>FILE</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Also recognise the cases of this suite file.</source>
        <translation>同时识别此测试集文件中的用例。</translation>
    </message>
    <message>
        <source>Append one JSON line of ground truth per request.</source>
        <translation>每个请求追加一行 JSON 格式的真实数据。</translation>
    </message>
    <message>
        <source>Address to listen on (default 127.0.0.1; anything else is exposed).</source>
        <translation>监听地址（默认 127.0.0.1；其他任何地址都会对外暴露）。</translation>
    </message>
    <message>
        <source>ADDR</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Switch off the personas&apos; random faults (x-sim-fault still works).</source>
        <translation>关闭角色的随机故障（x-sim-fault 仍然有效）。</translation>
    </message>
    <message>
        <source>--port: &quot;%1&quot; is not a port number.</source>
        <translation>--port：&quot;%1&quot; 不是端口号。</translation>
    </message>
    <message>
        <source>--listen: &quot;%1&quot; is not an IP address.</source>
        <translation>--listen：&quot;%1&quot; 不是 IP 地址。</translation>
    </message>
    <message>
        <source>Warning: listening on %1, not on loopback: anyone who can reach this address can use the simulator.</source>
        <translation>警告：正在 %1 上监听，而非回环地址：任何能访问此地址的人都可以使用该模拟器。</translation>
    </message>
    <message>
        <source>Cannot listen on %1:%2: %3</source>
        <translation>无法在 %1:%2 上监听：%3</translation>
    </message>
    <message>
        <source>Slopscope simulator listening on http://%1:%2 (%3 simulated models)</source>
        <translation>Slopscope 模拟器正在 http://%1:%2 上监听（%3 个模拟模型）</translation>
    </message>
    <message>
        <source>Simulator stopped.</source>
        <translation>模拟器已停止。</translation>
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
        <translation>用法：slopscope-cli [--version] [--help] [--trace] &lt;command&gt; [options]
命令：
  check-workspace FILE   验证工作区文件并列出其中的目标
  run --demo | --workspace FILE [--suite NAME|FILE] [--targets ID,ID] [--repeat K]
      [--concurrency N] [--variants] [--seed S] [--max-cost USD] [--retry-truncated] [--no-preconnect]
      [--fail-under quality=0.8] [--shard I/N] [--judge TARGET] [--db FILE | --no-db]
      [--jsonl FILE] [--summary FILE.json] [--report FILE.html|.pdf|.md]...
      [--chart FILE.png|.svg|.pdf]... [--csv FILE]
                         运行测试集并记录，每个目标输出一行
  resume RUN_ID [--db FILE] [--workspace FILE] [outputs]
                         仅发送中断的运行所缺少的部分
  report RUN_ID [--db FILE] [outputs]
                         从数据库写出已记录运行的报告
  runs [--db FILE]        列出已记录的运行：ID、开始时间、状态、回答数、费用
  merge DB... --db FILE   将多个数据库（CI 矩阵的分片）合并为一个
  import promptfoo|csv|jsonl FILE --out SUITE.json
                         将 promptfoo 配置、CSV 或聊天记录转换为测试集
  keys set NAME | keys remove NAME | keys status [--workspace FILE | --demo] [NAME...]
                         系统钥匙串中的 API 密钥（set 从 stdin 读取密钥）
  keys allow-host NAME HOST
                         允许已存储的密钥发往其他主机（在应用中会询问）
  sim [--port N] [--personas FILE] [--log FILE] [--listen ADDR]
                         运行服务商模拟器（所有模型均为模拟）
--trace 将每个请求（凭据显示为 ***）及调度器的决策记录到
stderr；QT_LOGGING_RULES=&quot;slopscope.net.debug=true&quot; 对单个类别执行相同操作。
run 的退出码：0 成功，1 --fail-under 或 --max-cost 门限未通过，2 用法或
输入错误，3 运行无法完成。&apos;slopscope-cli run --help&apos; 列出所有选项。
</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Slopscope workbench</source>
        <translation>Slopscope 工作台</translation>
    </message>
    <message>
        <source>Open this workspace file (&quot;demo&quot; for the bundled demo).</source>
        <translation>打开此工作区文件（&quot;demo&quot; 表示内置演示）。</translation>
    </message>
    <message>
        <source>file</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Open the main window, check it, and quit.</source>
        <translation>打开主窗口，检查后退出。</translation>
    </message>
    <message>
        <source>Save a PNG of the main window after it settles, then quit.</source>
        <translation>主窗口稳定后保存其 PNG 截图，然后退出。</translation>
    </message>
    <message>
        <source>Start a run of the selected suite at once.</source>
        <translation>立即开始运行所选测试集。</translation>
    </message>
    <message>
        <source>Milliseconds to wait before the screenshot (default 1500).</source>
        <translation>截图前等待的毫秒数（默认 1500）。</translation>
    </message>
    <message>
        <source>ms</source>
        <translation>ms</translation>
    </message>
    <message>
        <source>page</source>
        <translation>页面</translation>
    </message>
    <message>
        <source>Record runs in this history database (default: the user&apos;s).</source>
        <translation>将运行记录到此历史数据库（默认：当前用户的数据库）。</translation>
    </message>
    <message>
        <source>Do not record runs.</source>
        <translation>不记录运行。</translation>
    </message>
    <message>
        <source>Cannot open workspace</source>
        <translation>无法打开工作区</translation>
    </message>
    <message>
        <source>Show this run of the history (its id) instead of an empty window.</source>
        <translation>显示历史记录中的此运行（按 id）而不是空窗口。</translation>
    </message>
    <message>
        <source>run-id</source>
        <translation>运行id</translation>
    </message>
    <message>
        <source>Load this routing policy file: its policies are replayed over each run and drawn on the quadrant.</source>
        <translation>加载此路由策略文件：其中的策略会在每次运行上重放并绘制在象限图中。</translation>
    </message>
    <message>
        <source>Use this theme for this start only: system, light or dark.</source>
        <translation>仅在本次启动时使用此主题：system、light 或 dark。</translation>
    </message>
    <message>
        <source>theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Slopscope is already running (pid %1); its window was brought to the front.</source>
        <translation>Slopscope 已在运行（pid %1）；已将其窗口置于最前。</translation>
    </message>
    <message>
        <source>Slopscope is already running (pid %1) with %2.</source>
        <translation>Slopscope 已在运行（pid %1），使用 %2。</translation>
    </message>
    <message>
        <source>Send this prompt in Quick Compare to the checked targets; repeat it for a chat, each sent once the previous one is answered.</source>
        <translation>在快速比较中将此提示词发送给已勾选的目标；重复使用可组成一段对话，每条在上一条得到回答后发送。</translation>
    </message>
    <message>
        <source>text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>The history holds fewer than two runs.</source>
        <translation>历史记录中的运行少于两次。</translation>
    </message>
    <message>
        <source>Show a results page large: results (the matrix), leaderboard, diff or disagreements; routing opens Run ▸ Routing Policies; quadrant saves the screenshot as the chart export; settings, providers and appearance open Settings ▸ Preferences… on that page; suite brings the Suite panel to the front; quick opens View ▸ Quick Compare; drift opens File ▸ Drift…; compare compares the newest runs of the history (up to four); arena opens Run ▸ Blind Arena over the run on show (with --run, once it ends).</source>
        <translation>以大视图显示结果页面：results（矩阵）、leaderboard、diff 或 disagreements；routing 打开“运行 ▸ 路由策略”；quadrant 将截图保存为图表导出；settings、providers 和 appearance 在该页面打开“设置 ▸ 首选项…”；suite 将套件面板置于前台；quick 打开“视图 ▸ 快速比较”；drift 打开“文件 ▸ 漂移…”；compare 比较历史记录中最新的运行（最多四个）；arena 针对当前显示的运行打开“运行 ▸ 盲测竞技场”（使用 --run 时在运行结束后）。</translation>
    </message>
    <message>
        <source>Unknown view %1: use results, leaderboard, diff, disagreements, routing, quadrant, suite, settings, providers, appearance, quick, drift, compare or arena.</source>
        <translation>未知视图 %1：请使用 results、leaderboard、diff、disagreements、routing、quadrant、suite、settings、providers、appearance、quick、drift、compare 或 arena。</translation>
    </message>
    <message>
        <source>Log each request (credentials shown as ***) and the scheduler&apos;s decisions to stderr.</source>
        <translation>将每个请求（凭据显示为 ***）及调度器的决策记录到 stderr。</translation>
    </message>
</context>
</TS>
