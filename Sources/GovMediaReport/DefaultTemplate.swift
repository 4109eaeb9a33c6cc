// The compiled-in copy of rules/templates/weekly.html.mustache: the report still renders
// when the rules directory has no template. A test keeps the two byte-for-byte equal;
// after editing the template, run `scripts/render-report --sync-template`.

enum DefaultTemplate {
    static let weeklyHTML = #"""
{{! 政务新媒体合规周报模板（Mustache）。
    可以修改文字和样式；数据一律用双花括号输出（自动转义），不要对数据使用三花括号。
    唯一的例外是 timelineSVG：程序生成的更新时间线图，其中的文字已在生成时转义。
    报告必须自包含：不要引用任何外部字体、脚本、图片或样式表。 }}
<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}}（{{weekName}}）</title>
<style>
@page { size: A4; margin: 14mm 12mm 16mm 12mm; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 760px; padding: 24px 20px 40px; color: #1f2933; background: #fff;
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei", sans-serif;
  font-size: 14px; line-height: 1.6; }
header { border-bottom: 3px solid #b71c1c; padding-bottom: 10px; margin-bottom: 18px; }
h1 { font-size: 24px; margin: 0 0 4px; color: #b71c1c; letter-spacing: 1px; }
h2 { font-size: 17px; margin: 26px 0 10px; padding-left: 8px; border-left: 4px solid #b71c1c; }
h3 { font-size: 15px; margin: 0 0 4px; }
.meta { color: #52606d; font-size: 13px; margin: 0; }
.tiles { display: flex; gap: 10px; margin: 8px 0 4px; }
.tile { flex: 1; border: 1px solid #d9e2ec; border-radius: 6px; padding: 10px 12px; text-align: center; }
.tile .n { display: block; font-size: 26px; font-weight: 700; line-height: 1.2; }
.tile .l { color: #52606d; font-size: 12px; }
.tile.rate .n { color: #1b5e20; }
.tile.bad .n { color: #b71c1c; }
.change { margin: 6px 0 0; font-size: 14px; }
.change.up { color: #1b5e20; } .change.down { color: #b71c1c; } .change.flat, .change.none { color: #52606d; }
svg { display: block; max-width: 100%; height: auto; }
svg text { font-family: inherit; font-size: 11px; fill: #334e68; }
svg .grid { stroke: #e4e7eb; stroke-width: 1; }
svg .axis { stroke: #9aa5b1; stroke-width: 1; }
svg .bar { fill: #7fa7c9; } svg .bar.current { fill: #1f4e79; }
svg .fail { fill: #c62828; }
svg .nodata { fill: #9aa5b1; }
table { width: 100%; border-collapse: collapse; margin: 6px 0; font-size: 13px; }
th, td { border: 1px solid #d9e2ec; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #f0f4f8; font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
table.list th:nth-child(1) { width: 20%; } table.list th:nth-child(2) { width: 18%; }
table.list th:nth-child(3) { width: 12%; }
table.rect th:nth-child(1), table.rect th:nth-child(2) { width: 17%; } table.rect td:nth-child(4) { white-space: nowrap; }
table.register th:nth-child(1) { width: 13%; } table.register th:nth-child(2) { width: 16%; } table.register th:nth-child(3) { width: 7%; }
tr { page-break-inside: avoid; break-inside: avoid; }
.account { border: 1px solid #d9e2ec; border-left: 5px solid #c62828; border-radius: 4px; padding: 8px 10px; margin: 8px 0;
  page-break-inside: avoid; break-inside: avoid; }
.account.unverifiable { border-left-color: #f9a825; }
.account .who { color: #52606d; font-weight: 400; font-size: 12px; }
.badge { display: inline-block; font-size: 12px; padding: 0 6px; border-radius: 3px; color: #fff; background: #c62828; margin-left: 4px; }
.badge.unverifiable { background: #b7791f; } .badge.veto { background: #7f0000; } .badge.weeks { background: #52606d; }
.account ul { margin: 4px 0 0; padding-left: 18px; }
.account li { margin: 2px 0; }
.account .timeline-strip { margin: 6px 0 2px; }
.sev { font-size: 12px; color: #7f0000; font-weight: 600; }
.sev.deduction { color: #b7791f; } .sev.info { color: #52606d; }
.rule { color: #52606d; font-size: 12px; }
.evidence { display: block; color: #52606d; font-size: 12px; font-family: "Noto Sans Mono CJK SC", "DejaVu Sans Mono", monospace; }
.post a { color: #1f4e79; word-break: break-all; }
.empty { border: 2px dashed #9aa5b1; border-radius: 8px; padding: 28px; text-align: center; margin: 24px 0; }
.empty h2 { border: 0; padding: 0; font-size: 22px; color: #52606d; }
.none { color: #52606d; }
.problem { color: #b71c1c; }
.ok { color: #1b5e20; }
footer { margin-top: 30px; padding-top: 8px; border-top: 1px solid #d9e2ec; color: #7b8794; font-size: 12px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  h2 { page-break-after: avoid; break-after: avoid; }
  section.chart, .tiles { page-break-inside: avoid; break-inside: avoid; }
  .post a { color: inherit; text-decoration: none; }
  a[href]::after { content: ""; }
}
</style>
</head>
<body>
<header>
<h1>{{title}}</h1>
<p class="meta">{{weekName}}（{{weekRange}}）{{#checkTime}} · 监测时间点 {{checkTime}}{{/checkTime}}{{#rulesVersion}} · 规则版本 {{rulesVersion}}{{/rulesVersion}}</p>
</header>

{{^hasData}}
<section class="empty">
<h2>本周无监测数据</h2>
<p>{{noDataReason}}</p>
</section>
{{/hasData}}

{{#hasData}}
<section class="headline">
<h2>一、总体情况</h2>
<div class="tiles">
<div class="tile"><span class="n">{{headline.monitored}}</span><span class="l">监测账号（个）</span></div>
<div class="tile"><span class="n">{{headline.passing}}</span><span class="l">合格（个）</span></div>
<div class="tile bad"><span class="n">{{headline.failing}}</span><span class="l">不合格（个）</span></div>
<div class="tile bad"><span class="n">{{headline.unverifiable}}</span><span class="l">无法核实（个）</span></div>
<div class="tile rate"><span class="n">{{headline.rate}}</span><span class="l">达标率</span></div>
</div>
<p class="change {{headline.changeClass}}">达标率{{headline.rate}}，{{headline.change}}{{#headline.previousRate}}（上周 {{headline.previousRate}}）{{/headline.previousRate}}。</p>
</section>

<section class="chart">
<h2>二、近 12 周达标率</h2>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {{trend.width}} {{trend.height}}" width="{{trend.width}}" height="{{trend.height}}" role="img" aria-label="近12周达标率柱状图">
{{#trend.grid}}<line class="grid" x1="{{trend.left}}" x2="{{trend.right}}" y1="{{y}}" y2="{{y}}"/><text x="40" y="{{labelY}}" text-anchor="end">{{label}}</text>
{{/trend.grid}}<line class="axis" x1="{{trend.left}}" x2="{{trend.right}}" y1="{{trend.axisY}}" y2="{{trend.axisY}}"/>
{{#trend.bars}}<g><title>{{title}}</title>{{#hasData}}<rect class="bar{{#current}} current{{/current}}" x="{{x}}" y="{{y}}" width="{{width}}" height="{{height}}"/><text x="{{labelX}}" y="{{valueY}}" text-anchor="middle">{{value}}</text>{{/hasData}}{{^hasData}}<text class="nodata" x="{{labelX}}" y="{{valueY}}" text-anchor="middle">无数据</text>{{/hasData}}<text x="{{labelX}}" y="{{trend.weekLabelY}}" text-anchor="middle">{{weekLabel}}</text><text x="{{labelX}}" y="{{trend.yearLabelY}}" text-anchor="middle">{{yearLabel}}</text></g>
{{/trend.bars}}</svg>
</section>

<section>
<h2>三、不合格账号及原因</h2>
{{^problems}}<p class="ok">本周所有监测账号均合格。</p>{{/problems}}
{{#problems}}
<div class="account {{verdictClass}}">
<h3>{{name}} <span class="badge {{verdictClass}}">{{verdictName}}</span>{{#veto}}<span class="badge veto">单项否决</span>{{/veto}}{{#chronic}}<span class="badge weeks">连续 {{weeks}} 周</span>{{/chronic}}
<br><span class="who">{{owner}} · {{platform}} · 账号 {{id}}{{#score}} · 得分 {{score}}{{/score}}</span></h3>
<ul>
{{#findings}}<li><span class="sev {{severityClass}}">【{{severityName}}】</span>{{message}} <span class="rule">[{{rule}}]</span>
{{#hasPost}}<span class="post">帖子：{{#link}}<a href="{{link}}">《{{postTitle}}》</a>{{/link}}{{^link}}《{{postTitle}}》{{#postURL}} {{postURL}}{{/postURL}}{{/link}}</span>{{/hasPost}}
{{#evidence}}<span class="evidence">证据 sha256 {{evidence}}…　查看：govmedia evidence show {{evidence}}</span>{{/evidence}}</li>
{{/findings}}
{{#moreFindings}}<li class="none">另有 {{moreFindings}} 条问题，详见 CSV 或 govmedia explain {{id}}</li>{{/moreFindings}}
</ul>
{{#hasTimeline}}<div class="timeline-strip">{{{timelineSVG}}}</div>{{/hasTimeline}}
</div>
{{/problems}}
</section>

<section>
<h2>四、本周变化</h2>
{{^hasPrevious}}<p class="none">上周无监测数据，无法比较新增不合格与已整改情况。</p>{{/hasPrevious}}
{{#hasPrevious}}
<h3>新增未达标（{{newlyFailingCount}} 个）</h3>
{{^newlyFailing}}<p class="none">无。</p>{{/newlyFailing}}
{{#hasNewlyFailing}}<table class="list"><thead><tr><th>账号</th><th>主办单位</th><th>本周</th><th>主要问题</th></tr></thead><tbody>
{{#newlyFailing}}<tr><td>{{name}}<br><span class="rule">{{id}}</span></td><td>{{owner}}</td><td class="problem">{{verdictName}}</td><td>{{reason}}</td></tr>
{{/newlyFailing}}</tbody></table>{{/hasNewlyFailing}}
<h3>已整改（{{fixedCount}} 个）</h3>
{{^fixed}}<p class="none">无。</p>{{/fixed}}
{{#hasFixed}}<table class="list"><thead><tr><th>账号</th><th>主办单位</th><th>上周</th><th>本周</th></tr></thead><tbody>
{{#fixed}}<tr><td>{{name}}<br><span class="rule">{{id}}</span></td><td>{{owner}}</td><td class="problem">{{previousVerdictName}}</td><td class="ok">{{verdictName}}</td></tr>
{{/fixed}}</tbody></table>{{/hasFixed}}
{{/hasPrevious}}
<h3>连续三周及以上未达标（{{chronicCount}} 个）</h3>
{{^chronic}}<p class="none">无。</p>{{/chronic}}
{{#hasChronic}}<table class="list"><thead><tr><th>账号</th><th>主办单位</th><th class="num">连续周数</th><th>主要问题</th></tr></thead><tbody>
{{#chronic}}<tr><td>{{name}}<br><span class="rule">{{id}}</span></td><td>{{owner}}</td><td class="num problem">{{weeks}}</td><td>{{reason}}</td></tr>
{{/chronic}}</tbody></table>{{/hasChronic}}
</section>

<section class="chart">
<h2>五、各单位未达标账号</h2>
{{^hasOwnerChart}}<p class="ok">各单位均无未达标账号。</p>{{/hasOwnerChart}}
{{#hasOwnerChart}}
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {{ownerChart.width}} {{ownerChart.height}}" width="{{ownerChart.width}}" height="{{ownerChart.height}}" role="img" aria-label="各单位未达标账号数">
{{#ownerChart.rows}}<g><title>{{fullLabel}}：未达标 {{value}}</title><text x="{{labelX}}" y="{{textY}}" text-anchor="end">{{label}}</text><rect class="fail" x="{{x}}" y="{{y}}" width="{{width}}" height="{{height}}"/><text x="{{valueX}}" y="{{textY}}">{{value}}</text></g>
{{/ownerChart.rows}}</svg>
<p class="meta">数字为“未达标账号数/监测账号数”。</p>
{{/hasOwnerChart}}
</section>

<section>
<h2>六、三审覆盖情况（按主办单位）</h2>
<p class="meta">评判窗口内发布的帖子中，有完整、有效三审记录（先审后发、三人分别签署、顺序正确）的比例。</p>
<table><thead><tr><th>主办单位</th><th class="num">账号</th><th class="num">帖子</th><th class="num">三审完整</th><th class="num">覆盖率</th></tr></thead><tbody>
{{#coverage}}<tr><td>{{owner}}</td><td class="num">{{accounts}}</td><td class="num">{{posts}}</td><td class="num">{{reviewed}}</td><td class="num {{coverageClass}}">{{coverage}}</td></tr>
{{/coverage}}<tr><th>合计</th><th class="num">{{coverageTotal.accounts}}</th><th class="num">{{coverageTotal.posts}}</th><th class="num">{{coverageTotal.reviewed}}</th><th class="num">{{coverageTotal.coverage}}</th></tr>
</tbody></table>
</section>
{{/hasData}}

{{#rectification}}<section>
<h2>{{heading}}</h2>
{{#warnings}}<p class="problem">{{text}}。</p>
{{/warnings}}<p class="meta">{{year.year}} 年截至本周末：发现问题 {{year.found}} 个，已整改 {{year.fixed}} 个（按期 {{year.fixedOnTime}} 个，按期率 {{year.onTimeRate}}），逾期未改 {{year.overdue}} 个，整改期内 {{year.open}} 个，豁免 {{year.waived}} 个。本周向 {{unitsNoticed}} 个单位发出整改通知，涉及 {{itemsNoticed}} 个事项。</p>
<h3>逾期未整改（{{overdueCount}} 个，按单位，单项否决在前）</h3>
{{^hasOverdue}}<p class="ok">无逾期事项。</p>{{/hasOverdue}}
{{#hasOverdue}}<table class="rect"><thead><tr><th>主办单位</th><th>账号</th><th>问题</th><th>整改时限</th><th class="num">逾期</th></tr></thead><tbody>
{{#overdue}}{{#items}}<tr><td>{{owner}}</td><td>{{accountName}}<br><span class="rule">#{{id}} · {{accountID}}</span></td><td>{{#veto}}<span class="sev">【单项否决】</span>{{/veto}}{{summary}} <span class="rule">[{{rule}}]</span></td><td>{{deadline}}</td><td class="num problem">{{daysOverdue}}</td></tr>
{{/items}}{{/overdue}}</tbody></table>{{/hasOverdue}}
<h3>本周开立（{{openedCount}} 个）</h3>
{{^hasOpened}}<p class="none">无。</p>{{/hasOpened}}
{{#hasOpened}}<table class="rect"><thead><tr><th>账号</th><th>主办单位</th><th>问题</th><th>整改时限</th></tr></thead><tbody>
{{#opened}}<tr><td>{{accountName}}<br><span class="rule">#{{id}} · {{accountID}}</span></td><td>{{owner}}</td><td>{{#veto}}<span class="sev">【单项否决】</span>{{/veto}}{{summary}} <span class="rule">[{{rule}}]</span></td><td>{{deadline}}</td></tr>
{{/opened}}</tbody></table>{{/hasOpened}}
<h3>本周已整改（{{fixedCount}} 个）</h3>
{{^hasFixed}}<p class="none">无。</p>{{/hasFixed}}
{{#hasFixed}}<table class="rect"><thead><tr><th>账号</th><th>主办单位</th><th>问题</th><th>发现 → 整改</th><th class="num">用时</th><th>按期</th></tr></thead><tbody>
{{#fixed}}<tr><td>{{accountName}}<br><span class="rule">#{{id}} · {{accountID}}</span></td><td>{{owner}}</td><td>{{summary}} <span class="rule">[{{rule}}]</span></td><td>{{found}} → {{closed}}</td><td class="num">{{daysToFix}}</td><td class="{{onTimeClass}}">{{onTime}}</td></tr>
{{/fixed}}</tbody></table>{{/hasFixed}}
{{#hasWithoutContact}}<p class="problem">以下单位有待整改事项，但台账中没有联系邮箱（contact_email），整改通知无法邮寄，请打印送达并补充台账：</p><ul>
{{#withoutContact}}<li>{{owner}}：待整改 {{openItems}} 个</li>
{{/withoutContact}}</ul>{{/hasWithoutContact}}
</section>
{{/rectification}}

<section>
<h2>{{registerHeading}}</h2>
{{^registerChanges}}<p class="none">本周台账无变更。</p>{{/registerChanges}}
{{#hasRegisterChanges}}<table class="register"><thead><tr><th>时间</th><th>账号</th><th>事项</th><th>内容</th><th>经办人</th><th>原因</th></tr></thead><tbody>
{{#registerChanges}}<tr><td>{{at}}</td><td>{{accountName}}<br><span class="rule">{{accountID}}</span></td><td>{{kind}}</td><td>{{summary}}</td><td>{{operator}}</td><td>{{reason}}</td></tr>
{{/registerChanges}}</tbody></table>{{/hasRegisterChanges}}
{{#hasRegisterDrift}}<p class="problem">台账文件与数据库不一致（以数据库为准，请按数据库更新台账文件）：</p><ul>
{{#registerDrift}}<li>{{text}}</li>
{{/registerDrift}}</ul>{{/hasRegisterDrift}}
</section>

<section>
<h2>{{disclosureHeading}}</h2>
{{^disclosures}}<p class="none">{{disclosureNote}}</p>{{/disclosures}}
{{#disclosures}}
<h3>{{org}} {{year}} 年度报告</h3>
{{#hasFigures}}<table><thead><tr><th>数据项</th><th class="num">数值</th></tr></thead><tbody>
{{#figures}}<tr><td>{{label}}</td><td class="num">{{value}}</td></tr>
{{/figures}}</tbody></table>{{/hasFigures}}
{{^problems}}<p class="ok">勾稽关系核对：全部通过。</p>{{/problems}}
{{#hasProblems}}<p class="problem">勾稽关系核对：发现 {{problemCount}} 处问题。</p><ul>
{{#problems}}<li>{{text}}</li>
{{/problems}}</ul>{{/hasProblems}}
{{/disclosures}}
</section>

{{#hasSources}}<section>
<h2>数据源健康</h2>
{{#sourceProblems}}<p class="problem">{{text}}：相关账号无法核实，不按停更判定；请运维人员检查数据源（登录、Cookie 或拦截）。</p>
{{/sourceProblems}}<table><thead><tr><th>数据源</th><th class="num">账号</th><th class="num">读取正常</th><th class="num">失败</th><th class="num">尚未读取</th><th>失败起始</th><th>状态</th></tr></thead><tbody>
{{#sources}}<tr><td>{{bridge}}</td><td class="num">{{accounts}}</td><td class="num">{{ok}}</td><td class="num">{{failing}}</td><td class="num">{{neverRead}}</td><td>{{since}}</td><td class="{{stateClass}}">{{state}}</td></tr>
{{/sources}}</tbody></table>
</section>
{{/hasSources}}

<section>
<h2>审计链锚点</h2>
<p class="none">台账事件（含账号标记）与三审记录各为一条哈希链。请留存下列末条哈希：日后可用 govmedia audit verify --anchor 哈希 证明记录未被改写或删除。</p>
<table><thead><tr><th>链</th><th class="num">记录数</th><th>末条哈希（sha256）</th></tr></thead><tbody>
{{#chainHeads}}<tr><td>{{name}}</td><td class="num">{{count}}</td><td class="rule">{{hash}}</td></tr>
{{/chainHeads}}</tbody></table>
</section>

<footer>
本报告由 govmedia 根据数据库中已保存的评判结果生成（{{source}}）。账号明细见随附 CSV；证据可用 govmedia evidence show 查看。
</footer>
</body>
</html>

"""#
}
