<#-- Issue webhooks: created, resolved, assigned, ignored, unresolved. -->
<#import "_lines.ftl" as l>
<#assign a = body>
<#assign i = a.issue!{}>
<#assign by><#if i.actor??> by ${i.actor}</#if></#assign>
### ${variables.dingtalkTitle}

<#switch a.action!"">
<#case "created">**🆕 New issue**<#break>
<#case "resolved">**✅ Resolved**${by}<#break>
<#case "assigned">**👤 Assigned**<#if i.assignee??> to ${i.assignee}</#if>${by}<#break>
<#case "ignored">**🔕 Ignored**${by}<#break>
<#case "archived">**🔕 Archived**${by}<#break>
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
