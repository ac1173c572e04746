<#-- Issue webhooks: created, resolved, assigned, ignored, unresolved. -->
<#import "_lines.ftl" as l>
<#assign a = body>
<#assign i = a.issue!{}>
<#assign by><#if i.actor??> by ${i.actor}</#if></#assign>
<#-- How long an archived (formerly "ignored") issue stays quiet: its substatus and statusDetails. -->
<#macro quietUntil i><#assign d = i.statusDetails!{}><#switch i.substatus!"">
<#case "archived_until_escalating"> until it escalates<#break>
<#case "archived_forever"> forever<#break>
<#case "archived_until_condition_met"><#if d.ignoreCount??> until ${d.ignoreCount} more events<#if d.ignoreWindow??> in ${d.ignoreWindow} minutes</#if><#elseif d.ignoreUserCount??> until ${d.ignoreUserCount} more users<#if d.ignoreUserWindow??> in ${d.ignoreUserWindow} minutes</#if><#elseif d.ignoreUntil??> until ${time(d.ignoreUntil)}<#elseif d.ignoreDuration??> for ${d.ignoreDuration} minutes</#if><#break>
<#default>
</#switch></#macro>
### ${variables.dingtalkTitle}

<#switch a.action!"">
<#case "created">**🆕 New issue**<#break>
<#case "resolved">**✅ Resolved**${by}<#break>
<#case "assigned">**👤 Assigned**<#if i.assignee??> to ${i.assignee}</#if>${by}<#break>
<#case "ignored"><#case "archived">**🔕 Archived**${by}<@quietUntil i/><#break>
<#case "unresolved">**🔁 Unresolved**${by}<#break>
<#default>**ℹ️ Issue ${a.action!"updated"}**${by}
</#switch>


<@l.project a/><@l.level a/><@l.location a/><@l.tags a variables.robot/>
<#if i.shortId??>
- **🔖 Issue**: ${i.shortId}
</#if>
<#if i.count?? || i.userCount??>
- **📈 Events**: ${i.count!"?"}<#if i.userCount??>, users: ${i.userCount}</#if>
</#if>
<#if i.firstSeen??>
- **🕐 First seen**: ${time(i.firstSeen)}
</#if>
<#if i.lastSeen??>
- **🕑 Last seen**: ${time(i.lastSeen)}
</#if>
<@l.link a "View Issue on Sentry"/>
