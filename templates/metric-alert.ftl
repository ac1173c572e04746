<#-- Metric alerts: critical, warning, resolved, open. -->
<#import "_lines.ftl" as l>
<#assign a = body>
<#assign m = a.metricAlert!{}>
### ${variables.dingtalkTitle}

<#switch a.action!"">
<#case "critical">**🚨 Critical**<#break>
<#case "warning">**⚠️ Warning**<#break>
<#case "resolved">**✅ Resolved**<#break>
<#case "open">**🔔 Open**<#break>
<#default>**ℹ️ Metric alert ${a.action!"update"}**
</#switch><#if m.ruleTitle??>: ${m.ruleTitle}</#if>

<@l.project a/><@l.env a/>
<#if m.started??>
- **🕐 Started**: ${time(m.started)}
</#if>
<#if m.descriptionText??>

${quote(m.descriptionText)}
</#if>
<@l.link a "View Alert on Sentry"/>
